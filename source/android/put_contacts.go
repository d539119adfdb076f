package android

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"

	"github.com/lifeboat-backup/lifeboat/source/android/contacts"
	"github.com/lifeboat-backup/lifeboat/source/android/content"
)

const (
	rawContactsURI = "content://com.android.contacts/raw_contacts"
	dataURI        = "content://com.android.contacts/data"
)

// phoneContacts are the contacts on a phone, as signatures.
type phoneContacts struct {
	sigs     map[string]bool
	accounts map[string]string // account name → type
}

func readPhoneContacts(ctx context.Context, d shell) (*phoneContacts, error) {
	raw, _, _, err := rawQuery.run(ctx, d)
	if err != nil {
		return nil, err
	}
	data, _, _, err := dataQuery.run(ctx, d)
	if err != nil {
		return nil, err
	}
	live := map[string]bool{}
	pc := &phoneContacts{sigs: map[string]bool{}, accounts: map[string]string{}}
	for _, r := range raw {
		if r["deleted"] == "" || r["deleted"] == "0" {
			live[r["_id"]] = true
		}
		if r["account_name"] != "" {
			pc.accounts[r["account_name"]] = r["account_type"]
		}
	}
	for id, rows := range groupBy(data, "raw_contact_id") {
		if live[id] {
			pc.sigs[contacts.Signature(rows)] = true
		}
	}
	return pc, nil
}

// putContacts inserts the cards the phone does not have, then reads the
// phone's contacts again to check it kept each.
func putContacts(ctx context.Context, d shell, opts PutOptions, cards []Record, res *PutResult, skipped map[string]bool, pr *progress) error {
	pc, err := readPhoneContacts(ctx, d)
	if errors.Is(err, errNoProvider) {
		res.Failed = append(res.Failed, fmt.Sprintf("%d contacts not put: the phone has no Contacts provider", len(cards)))
		return nil
	}
	if err != nil {
		return err
	}
	account := []content.Bind{{Name: "account_name", Type: "n"}, {Name: "account_type", Type: "n"}}
	if opts.Account != "" {
		typ, ok := pc.accounts[opts.Account]
		if !ok {
			return fmt.Errorf("%w: the phone has no contacts account %q (it has: %s)", ErrAccount, opts.Account, quoteList(slices.Sorted(maps.Keys(pc.accounts))))
		}
		account = []content.Bind{{Name: "account_name", Type: "s", Value: opts.Account}, {Name: "account_type", Type: "s", Value: typ}}
	}
	added := map[string]string{} // signature → where it came from
	var last int64               // the largest raw contact _id, once known
	for _, c := range cards {
		pr.step()
		ins, err := contacts.FromVCard(c.Data)
		if err != nil {
			res.Failed = append(res.Failed, fmt.Sprintf("%s: %v", c.From, err))
			continue
		}
		for _, s := range ins.Skipped {
			skipped[s] = true
		}
		if len(ins.Groups) > 0 {
			skipped["CATEGORIES"] = true
		}
		sig := contacts.Signature(ins.Data)
		if pc.sigs[sig] {
			res.Contacts.Present++
			continue
		}
		pc.sigs[sig] = true
		res.Contacts.Added++
		if opts.DryRun {
			continue
		}
		if last == 0 {
			if last, err = maxID(ctx, d, rawContactsURI, ""); err != nil {
				return err
			}
		}
		if err := insertContact(ctx, d, account, ins, &last); err != nil {
			if fatal(ctx, err) {
				return err
			}
			res.Contacts.Added--
			res.Failed = append(res.Failed, fmt.Sprintf("%s: %v", c.From, err))
			continue
		}
		added[sig] = c.From
	}
	if len(added) == 0 {
		return nil
	}
	now, err := readPhoneContacts(ctx, d)
	if err != nil {
		return err
	}
	kept(added, now.sigs, &res.Contacts, res, "contact")
	return nil
}

// insertContact makes a raw contact in the account and its data rows.
// last is the largest raw contact _id before it, and after: the provider's
// ids only grow (AUTOINCREMENT), so the new row is the one above it.
// Its data rows are checked first, so that a card whose rows cannot be
// put leaves no empty raw contact behind.
func insertContact(ctx context.Context, d shell, account []content.Bind, ins contacts.Insert, last *int64) error {
	binds := slices.Clone(account)
	if ins.Starred {
		binds = append(binds, content.Bind{Name: "starred", Type: "i", Value: "1"})
	}
	if _, err := lines(dataURI, dataRows(ins, placeholderID)); err != nil {
		return err
	}
	if err := insert(ctx, d, rawContactsURI, binds); err != nil {
		return err
	}
	id, err := newID(ctx, d, rawContactsURI, accountWhere(account), *last)
	if err != nil {
		return err
	}
	if id <= *last {
		return fmt.Errorf("the phone made no raw contact")
	}
	*last = id
	return insert(ctx, d, dataURI, dataRows(ins, strconv.FormatInt(id, 10))...)
}

// dataRows are a card's data rows, bound to the raw contact id.
func dataRows(ins contacts.Insert, id string) [][]content.Bind {
	var rows [][]content.Bind
	for _, row := range ins.Data {
		row = maps.Clone(row)
		row["raw_contact_id"] = id
		rows = append(rows, contacts.RowBinds(row))
	}
	return rows
}
