package serve

import (
	"encoding/base64"
	"html/template"
	"net/http"
	"strconv"
	"strings"
	"unicode"

	"github.com/lifeboat-backup/lifeboat/serve/records"
)

// contactsBody is the contact list: what was searched and what matched.
type contactsBody struct {
	Q            string
	Total, Shown int
	Rows         []records.Contact
	Base         string // the list's URL, for the cards' links
}

// contactsShown bounds the rows of the list: a search narrows it.
const contactsShown = 2000

func contactsBase(sv *snapView) string { return "/s/" + sv.ID.String() + "/contacts/" }

// contactList shows the snapshot's contacts, or those that match ?q=.
func (s *Server) contactList(w http.ResponseWriter, req *http.Request, sv *snapView) {
	all, err := s.contactsOf(req.Context(), sv.SnapshotInfo)
	if err != nil {
		s.fail(w, err)
		return
	}
	q := req.URL.Query().Get("q")
	hits := records.Search(all, q)
	body := contactsBody{Q: q, Total: len(all), Shown: len(hits), Rows: hits, Base: contactsBase(sv)}
	if len(body.Rows) > contactsShown {
		body.Rows = body.Rows[:contactsShown]
	}
	s.render(w, "contacts", http.StatusOK, sv.view("Contacts", "contacts", body))
}

// contactBody is one card and its history.
type contactBody struct {
	C       records.Contact
	Photo   template.URL // a data: URI of the card's picture, "" for none
	VCF     string
	Base    string
	History []historyRow
	// HistoryError is why the history could not be read.
	HistoryError string
}

// historyRow is one change of a record, with the snapshot's link.
type historyRow struct {
	records.Change
	Short, Link string
}

// contactCard shows one contact (…/contacts/ID) or hands its vCard
// (…/contacts/ID.vcf).
func (s *Server) contactCard(w http.ResponseWriter, req *http.Request, sv *snapView) {
	cid := req.PathValue("cid")
	id, vcf := strings.CutSuffix(cid, ".vcf")
	all, err := s.contactsOf(req.Context(), sv.SnapshotInfo)
	if err != nil {
		s.fail(w, err)
		return
	}
	var c *records.Contact
	for i := range all {
		if all[i].ID == id {
			c = &all[i]
			break
		}
	}
	if c == nil {
		s.fail(w, errNotFound)
		return
	}
	if vcf {
		sendRecord(w, "text/vcard; charset=utf-8", downloadName(c.Name, "contact")+".vcf", c.Raw)
		return
	}
	body := contactBody{C: *c, Photo: photoURI(c.Photo), VCF: contactsBase(sv) + id + ".vcf", Base: contactsBase(sv)}
	snaps, err := s.historySnaps(req.Context(), sv.SnapshotInfo)
	if err == nil {
		var ch []records.Change
		ch, err = records.ContactHistory(req.Context(), s.r, snaps, id)
		body.History = historyRows(ch, "contacts/"+id)
	}
	if err != nil {
		body.HistoryError = err.Error()
	}
	title := c.Name
	if title == "" {
		title = "(no name)"
	}
	s.render(w, "contact", http.StatusOK, sv.view(title, "contacts", body))
}

// historyRows links each change to its snapshot's page of the record.
func historyRows(ch []records.Change, page string) []historyRow {
	out := make([]historyRow, 0, len(ch))
	for _, c := range ch {
		row := historyRow{Change: c, Short: c.Snap, Link: "/s/" + c.Snap + "/" + page}
		if len(row.Short) > 8 {
			row.Short = row.Short[:8]
		}
		if c.Op == "vanished" {
			row.Link = "/s/" + c.Snap + "/" + strings.SplitN(page, "/", 2)[0] + "/"
		}
		out = append(out, row)
	}
	return out
}

// photoURI is a picture as a data: URI, if its bytes are an image a
// browser shows (the type sniffed, not taken from the card).
func photoURI(b []byte) template.URL {
	if len(b) == 0 {
		return ""
	}
	switch t := http.DetectContentType(b); t {
	case "image/jpeg", "image/png", "image/gif", "image/webp", "image/bmp":
		return template.URL("data:" + t + ";base64," + base64.StdEncoding.EncodeToString(b))
	}
	return ""
}

// sendRecord answers a record's bytes as a download.
func sendRecord(w http.ResponseWriter, ctype, name string, b []byte) {
	attachment(w, name, ctype)
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	w.Write(b)
}

// downloadName makes a file name of a record's name: letters and digits
// kept, runs of anything else as one "-"; fallback if nothing is left.
func downloadName(name, fallback string) string {
	var b strings.Builder
	dash := false
	for _, r := range name {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
			dash = false
		} else if !dash && b.Len() > 0 {
			b.WriteByte('-')
			dash = true
		}
		if b.Len() > 80 {
			break
		}
	}
	if out := strings.Trim(b.String(), "-"); out != "" {
		return out
	}
	return fallback
}
