package phonedata

import (
	"strconv"
	"strings"

	"github.com/lifeboat-backup/lifeboat/internal/fakeadb"
)

// account is a raw contact's account: type and name, nil for NULL.
type account struct{ typ, name any }

var (
	local    = account{nil, nil} // the phone's own account: both NULL
	google   = account{"com.google", "ana.lifeboat@gmail.com"}
	telegram = account{"org.telegram.messenger", "Telegram"}
	whatsapp = account{"com.whatsapp", "WhatsApp"}
)

// contact is one raw contact and its data rows.
type contact struct {
	id       int64
	acct     account
	sourceid any // nil for none
	starred  bool
	deleted  bool
	rows     []drow
}

// drow is one data row: a mimetype (after vnd.android.cursor.item/), the
// is_primary flag and column/value pairs.
type drow struct {
	mime    string
	primary bool
	kv      []any
}

func r(mime string, kv ...any) drow    { return drow{mime: mime, kv: kv} }
func pr(mime string, kv ...any) drow   { return drow{mime: mime, primary: true, kv: kv} }
func name(display any, kv ...any) drow { return r("name", append([]any{"data1", display}, kv...)...) }

// The data1 of group_membership rows: groups' _id values (groupTable).
const (
	groupMyContacts = 1
	groupFamily     = 5
	groupWork       = 6
	groupOld        = 7
	groupFriends    = 8
)

// people is the address book: 14 live raw contacts in four accounts and
// one deleted.
func people() []contact {
	return []contact{
		{id: 1, acct: local, starred: true, rows: []drow{
			name("Ada Lovelace", "data2", "Ada", "data3", "Lovelace", "data4", "Countess", "data7", "エイダ", "data9", "ラブレス"),
			pr("phone_v2", "data1", "+44 20 7946 0000", "data2", int64(2)),
			r("phone_v2", "data1", "+44 20 7946 0001", "data2", int64(0), "data3", "Lab; night, only"),
			r("email_v2", "data1", "ada@example.com", "data2", int64(1)),
			r("contact_event", "data1", "1815-12-10", "data2", int64(3)),
			r("note", "data1", "Line one\nLine two, with; punctuation\\ and = signs\n"),
			r("group_membership", "data1", int64(groupFamily)),
			r("group_membership", "data1", int64(groupWork)),
		}},
		{id: 2, acct: google, sourceid: "3f2a9c1b0d8e", rows: []drow{
			name("Пётр Ильич Чайковский", "data2", "Пётр", "data3", "Чайковский", "data5", "Ильич"),
			r("phone_v2", "data1", "+7 495 000-00-00", "data2", int64(3)),
			r("email_v2", "data1", "petr@example.ru", "data2", int64(2)),
			r("email_v2", "data1", "p@example.ru", "data2", int64(0), "data3", "Консерватория"),
			r("organization", "data1", "Московская консерватория", "data4", "Профессор", "data5", "Композиция"),
			r("postal-address_v2", "data1", "ул. Большая Никитская, 13/6\nМосква 125009\nРоссия", "data2", int64(2),
				"data4", "ул. Большая Никитская, 13/6", "data7", "Москва", "data9", "125009", "data10", "Россия"),
			r("contact_event", "data1", "1840-05-07", "data2", int64(3)),
			r("contact_event", "data1", "1877-07-18", "data2", int64(1)),
			r("group_membership", "data1", int64(groupMyContacts)),
			r("group_membership", "data1", int64(groupFriends)),
		}},
		{id: 3, acct: google, sourceid: "a/b:c\\d", rows: []drow{
			name("李小龍", "data2", "小龍", "data3", "李"),
			r("phone_v2", "data1", "+852 0000 0000", "data2", int64(17)),
			r("nickname", "data1", "Little Dragon"),
			r("website", "data1", "https://example.com/a,b;c=d", "data2", int64(1)),
			r("im", "data1", "bruce@example.com", "data5", int64(7)),
			r("relation", "data1", "Linda", "data2", int64(14)),
			r("photo", "data15", []byte{0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 'J', 'F', 'I', 'F'}),
		}},
		{id: 4, acct: local, rows: []drow{
			name("محمد بن موسى الخوارزمي", "data2", "محمد", "data3", "الخوارزمي"),
			r("phone_v2", "data1", "+964 1 000 0000", "data2", int64(1)),
			r("phone_v2", "data1", "+964 1 000 0001,,1234;5", "data2", int64(3)), // DTMF pause and wait
			r("email_v2", "data1", "alkhwarizmi@example.iq", "data2", int64(3)),
			r("contact_event", "data1", "0780-01-01", "data2", int64(3)),
		}},
		{id: 5, acct: local, deleted: true, rows: []drow{
			name("Deleted Person"),
			r("phone_v2", "data1", "+1 555 0199", "data2", int64(2)),
		}},
		{id: 6, acct: telegram, sourceid: "483920117", rows: []drow{
			r("phone_v2", "data1", "+1 555 0100", "data2", int64(2)),
			r("vnd.org.telegram.messenger.android.profile", "data1", "+15550100", "data2", "Telegram", "data3", "Message +1 555 0100"),
		}},
		{id: 7, acct: google, sourceid: "7c11e0aa", starred: true, rows: []drow{
			name("O'Brien, Siobhán = \"Shiv\"", "data2", "Siobhán", "data3", "O'Brien", "data6", "Jr., PhD"),
			r("phone_v2", "data1", "+353 1 000 0000", "data2", int64(5)),
			r("phone_v2", "data1", "+353 87 000 0000", "data2", int64(6)),
			pr("email_v2", "data1", "shiv+lists@example.ie", "data2", int64(1)),
			r("contact_event", "data1", "--03-17", "data2", int64(3)),
			r("website", "data1", "https://shiv.example.ie/blog?a=1&b=2", "data2", int64(2)),
			r("im", "data1", "shiv.obrien", "data5", int64(3)),
			r("nickname", "data1", "Shiv, the \"boss\""),
			r("group_membership", "data1", int64(groupWork)),
		}},
		{id: 8, acct: local, rows: []drow{
			name("김민준", "data2", "민준", "data3", "김", "data7", "Minjun", "data8", "", "data9", "Kim"),
			r("phone_v2", "data1", "+82 2-000-0000", "data2", int64(2)),
			r("email_v2", "data1", "minjun@example.kr", "data2", int64(4)),
			r("contact_event", "data1", "2015-10-24", "data2", int64(1)),
			r("postal-address_v2", "data1", "서울특별시 종로구 세종대로 175\n03172", "data2", int64(1)),
			// ", data2=" in data1, followed by data2: the ambiguous one.
			r("note", "data1", "Call after 6pm, data2=not a column\nsecond line"),
		}},
		{id: 9, acct: google, sourceid: "e0c4d2b1a9", rows: []drow{
			name("Νίκος Καζαντζάκης", "data2", "Νίκος", "data3", "Καζαντζάκης"),
			r("phone_v2", "data1", "+30 210 000 0000", "data2", nil, "data3", nil), // TYPE NULL
			r("email_v2", "data1", "nikos@example.gr", "data2", int64(1)),
			pr("email_v2", "data1", "kazantzakis@example.gr", "data2", int64(2)),
			r("organization", "data1", "Ελληνική Εταιρεία, Συγγραφέων"),
			r("sip_address", "data1", "sip:nikos@example.gr", "data2", int64(1)),
			r("contact_event", "data1", "1883-02-18", "data2", int64(3)),
		}},
		{id: 10, acct: whatsapp, sourceid: "2348000000000@s.whatsapp.net", rows: []drow{
			name("Amara Okafor", "data2", "Amara", "data3", "Okafor"),
			r("phone_v2", "data1", "+234 800 000 0000", "data2", int64(2)),
			r("vnd.com.whatsapp.profile", "data1", "2348000000000@s.whatsapp.net", "data3", "Message +234 800 000 0000"),
			r("vnd.com.whatsapp.voip.call", "data1", "2348000000000@s.whatsapp.net", "data3", "Voice call +234 800 000 0000"),
		}},
		{id: 11, acct: local, rows: []drow{
			name(nil, "data2", "Jean-Luc", "data3", "Picard", "data4", "Capt."), // FN from the parts
			r("phone_v2", "data1", "+33 1 00 00 00 00", "data2", int64(0), "data3", "Ready room = deck 1, bridge"),
			r("email_v2", "data1", "picard@example.fr", "data2", int64(2)),
			r("im", "data1", "jlp", "data5", int64(-1), "data6", "Subspace, Relay!"),
		}},
		{id: 12, acct: local, rows: []drow{
			name("Zoë Ångström", "data2", "Zoë", "data3", "Ångström"),
			r("email_v2", "data1", "zoe@example.se", "data2", int64(0), "data3", "Work, old; do not use"),
			r("contact_event", "data1", "1992-02-29", "data2", int64(3)),
			r("contact_event", "data1", "--07-19", "data2", int64(0), "data3", "Name day"),
			r("relation", "data1", "Sven Ångström", "data2", int64(14)),
		}},
		{id: 13, acct: google, sourceid: "1b9d0f", rows: []drow{
			r("organization", "data1", "ACME, Inc. = Widgets", "data4", "Sales; EMEA"), // no name row: FN is the company
			r("phone_v2", "data1", "+1 800 555 0000", "data2", int64(10)),
			r("phone_v2", "data1", "+1 800 555 0001", "data2", int64(4)),
			r("email_v2", "data1", "sales@acme.example", "data2", int64(2)),
			r("group_membership", "data1", int64(groupOld)),
		}},
		{id: 14, acct: local, rows: []drow{
			name("प्रिया शर्मा 🌸", "data2", "प्रिया", "data3", "शर्मा"),
			r("phone_v2", "data1", "+91 11 0000 0000", "data2", int64(2)),
			r("email_v2", "data1", "priya@example.in", "data2", int64(1)),
			r("note", "data1", "=leading equals, then a tab\there"),
		}},
		{id: 15, acct: telegram, sourceid: "5550142", rows: []drow{
			name("Ýmir Þórsson", "data2", "Ýmir", "data3", "Þórsson"),
			r("phone_v2", "data1", "+354 500 0000", "data2", int64(2)),
		}},
	}
}

// Columns of raw_contacts and data, as ContactsContract names them.
var (
	rawColumns  = []string{"_id", "contact_id", "account_type", "account_name", "data_set", "sourceid", "version", "dirty", "deleted", "starred", "display_name"}
	dataColumns = append([]string{"_id", "raw_contact_id", "mimetype", "is_primary", "is_super_primary", "data_version"}, dataN()...)
)

func dataN() []string {
	var c []string
	for i := 1; i <= 15; i++ {
		c = append(c, "data"+strconv.Itoa(i))
	}
	return append(c, "data_sync1", "data_sync2", "data_sync3", "data_sync4")
}

// contactTables builds raw_contacts and data from people; data _ids are
// 10 * raw _id + the row's place.
func contactTables() (raw, data *fakeadb.Table) {
	raw = &fakeadb.Table{Columns: rawColumns}
	data = &fakeadb.Table{Columns: dataColumns}
	for _, c := range people() {
		var cid any = c.id
		deleted := int64(0)
		if c.deleted {
			cid, deleted = nil, 1
		}
		starred := int64(0)
		if c.starred {
			starred = 1
		}
		var display any
		if w, ok := wantOf(c); ok {
			display = w.Name
		}
		raw.Rows = append(raw.Rows, []any{c.id, cid, c.acct.typ, c.acct.name, nil, c.sourceid, int64(3), int64(0), deleted, starred, display})
		for i, d := range c.rows {
			row := make([]any, len(dataColumns))
			row[0], row[1], row[2] = c.id*10+int64(i), c.id, "vnd.android.cursor.item/"+d.mime
			if strings.HasPrefix(d.mime, "vnd.") {
				row[2] = d.mime // an app's own mimetype, given whole
			}
			row[3], row[4], row[5] = int64(0), int64(0), int64(1)
			if d.primary {
				row[3], row[4] = int64(1), int64(1)
			}
			for k := 0; k+1 < len(d.kv); k += 2 {
				row[indexOf(dataColumns, d.kv[k].(string))] = d.kv[k+1]
			}
			data.Rows = append(data.Rows, row)
		}
	}
	return raw, data
}

// groupTable is the groups: the Google account's system group, two of
// the local account's, a deleted one and one of the Google account.
func groupTable() *fakeadb.Table {
	return &fakeadb.Table{
		Columns: []string{"_id", "title", "deleted", "account_type", "account_name", "system_id", "group_visible"},
		Rows: [][]any{
			{int64(groupMyContacts), "My Contacts", int64(0), google.typ, google.name, "Contacts", int64(1)},
			{int64(groupFamily), "Family", int64(0), nil, nil, nil, int64(1)},
			{int64(groupWork), "Work, Team", int64(0), nil, nil, nil, int64(1)},
			{int64(groupOld), "Old = stale", int64(1), google.typ, google.name, nil, int64(0)},
			{int64(groupFriends), "Друзья", int64(0), google.typ, google.name, nil, int64(1)},
		},
	}
}

func indexOf(list []string, s string) int {
	for i, x := range list {
		if x == s {
			return i
		}
	}
	panic("phonedata: no column " + s)
}

// wantOf is what a live contact's card must show, false for a deleted one.
// The name follows contacts.Render: the name row's data1, else its parts,
// else the first organization, nickname, phone or email.
func wantOf(c contact) (Contact, bool) {
	if c.deleted {
		return Contact{}, false
	}
	w := Contact{RawID: c.id}
	if s, ok := c.acct.name.(string); ok {
		w.Account = s
	}
	get := func(d drow, col string) string {
		for k := 0; k+1 < len(d.kv); k += 2 {
			if d.kv[k] == col {
				if s, ok := d.kv[k+1].(string); ok {
					return s
				}
			}
		}
		return ""
	}
	for _, d := range c.rows {
		switch d.mime {
		case "name":
			if w.Name == "" {
				w.Name = get(d, "data1")
				if w.Name == "" {
					w.Name = strings.Join(strings.Fields(strings.Join([]string{get(d, "data4"), get(d, "data2"), get(d, "data5"), get(d, "data3"), get(d, "data6")}, " ")), " ")
				}
			}
		case "phone_v2":
			w.Phones = append(w.Phones, get(d, "data1"))
		case "email_v2":
			w.Emails = append(w.Emails, get(d, "data1"))
		case "contact_event":
			if w.Birthday == "" && isBirthday(d) {
				w.Birthday = get(d, "data1")
			}
		}
	}
	for _, m := range []string{"organization", "nickname", "phone_v2", "email_v2"} {
		for _, d := range c.rows {
			if w.Name == "" && d.mime == m {
				w.Name = get(d, "data1")
			}
		}
	}
	return w, true
}

func isBirthday(d drow) bool {
	for k := 0; k+1 < len(d.kv); k += 2 {
		if d.kv[k] == "data2" {
			return d.kv[k+1] == int64(3)
		}
	}
	return false
}

func wantContacts() []Contact {
	var ws []Contact
	for _, c := range people() {
		if w, ok := wantOf(c); ok {
			ws = append(ws, w)
		}
	}
	return ws
}
