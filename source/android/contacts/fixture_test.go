package contacts

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"testing"

	"github.com/lifeboat-backup/lifeboat/source/android/content"
)

// raw is a raw_contacts row of the local account.
func raw(id string, kv ...string) content.Row {
	r := content.Row{"_id": id, "contact_id": id, "version": "3", "deleted": "0", "starred": "0"}
	for i := 0; i+1 < len(kv); i += 2 {
		r[kv[i]] = kv[i+1]
	}
	return r
}

// drow is a data row; kv are column/value pairs (data1, data2, ...).
func drow(id, rawID, mime string, kv ...string) content.Row {
	r := content.Row{"_id": id, "raw_contact_id": rawID, "mimetype": "vnd.android.cursor.item/" + mime, "is_primary": "0"}
	for i := 0; i+1 < len(kv); i += 2 {
		r[kv[i]] = kv[i+1]
	}
	return r
}

// one renders a single raw contact with the given data rows.
func one(t *testing.T, rows ...content.Row) string {
	t.Helper()
	cards, err := Render([]content.Row{raw("1")}, rows, map[string]string{"5": "Family", "6": "Work, Team"})
	if err != nil || len(cards) != 1 {
		t.Fatalf("%d cards, %v", len(cards), err)
	}
	return string(cards[0].Data)
}

// unfold undoes line folding for assertions.
func unfold(s string) string { return strings.ReplaceAll(s, "\r\n ", "") }

// fixture is a phone's worth of contacts in several accounts with every
// kind, hostile values and NULLs (absent columns).
func fixture() (raws, data []content.Row, groups map[string]string) {
	raws = []content.Row{
		raw("1"),
		raw("2", "account_type", "com.google", "account_name", "ada@example.com", "sourceid", "3f2a9c1b0d", "starred", "1"),
		raw("3", "account_type", "com.google", "account_name", "ada@example.com", "sourceid", "a/b:c"),
		raw("4"),
		raw("5", "deleted", "1"),
		raw("6", "account_type", "org.telegram.messenger", "account_name", "Telegram"),
	}
	data = []content.Row{
		drow("10", "1", "name", "data1", "Ada Lovelace", "data2", "Ada", "data3", "Lovelace", "data4", "Countess", "data7", "エイダ", "data9", "ラブレス"),
		drow("11", "1", "phone_v2", "data1", "+44 20 7946 0000", "data2", "2", "is_primary", "1"),
		drow("12", "1", "phone_v2", "data1", "+44 20 7946 0001", "data2", "0", "data3", "Lab; night, only"),
		drow("13", "1", "email_v2", "data1", "ada@example.com", "data2", "1"),
		drow("14", "1", "contact_event", "data1", "1815-12-10", "data2", "3"),
		drow("15", "1", "note", "data1", "Line one\nLine two, with; punctuation\\ and = signs\n"),
		drow("16", "1", "group_membership", "data1", "5"),
		drow("17", "1", "group_membership", "data1", "6"),
		drow("20", "2", "name", "data1", "Пётр Ильич Чайковский", "data2", "Пётр", "data3", "Чайковский", "data5", "Ильич"),
		drow("21", "2", "phone_v2", "data1", "+7 495 000-00-00", "data2", "3"),
		drow("22", "2", "email_v2", "data1", "petr@example.ru", "data2", "2"),
		drow("23", "2", "email_v2", "data1", "p@example.ru", "data2", "0", "data3", "Консерватория"),
		drow("24", "2", "organization", "data1", "Московская консерватория", "data4", "Профессор", "data5", "Композиция"),
		drow("25", "2", "postal-address_v2", "data4", "ул. Большая Никитская, 13/6", "data7", "Москва", "data9", "125009", "data10", "Россия", "data2", "2"),
		drow("26", "2", "contact_event", "data1", "1840-05-07", "data2", "3"),
		drow("27", "2", "contact_event", "data1", "1877-07-18", "data2", "1"),
		drow("30", "3", "name", "data1", "李小龍", "data2", "小龍", "data3", "李"),
		drow("31", "3", "phone_v2", "data1", "+852 0000 0000", "data2", "17"),
		drow("32", "3", "nickname", "data1", "Little Dragon"),
		drow("33", "3", "website", "data1", "https://example.com/a,b;c", "data2", "1"),
		drow("34", "3", "im", "data1", "bruce@example.com", "data5", "7"),
		drow("35", "3", "relation", "data1", "Linda", "data2", "14"),
		drow("36", "3", "photo", "data15", "BLOB"),
		drow("40", "4", "name", "data1", "محمد بن موسى الخوارزمي", "data2", "محمد", "data3", "الخوارزمي"),
		drow("41", "4", "phone_v2", "data1", "+964 1 000 0000", "data2", "1"),
		drow("44", "4", "phone_v2", "data1", "+964 1 000 0001,,1234;5", "data2", "3"), // DTMF pause and wait
		drow("42", "4", "email_v2", "data1", "alkhwarizmi@example.iq", "data2", "3"),
		drow("43", "4", "contact_event", "data1", "0780-01-01", "data2", "3"),
		drow("50", "5", "name", "data1", "Deleted Person"),
		drow("60", "6", "phone_v2", "data1", "+1 555 0100"),
		drow("61", "6", "vnd.org.telegram.messenger.android.profile", "data1", "+15550100", "data2", "Telegram", "data3", "Message +1 555 0100"),
	}
	return raws, data, map[string]string{"5": "Family", "6": "Work, Team"}
}

func hash8(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:4])
}
