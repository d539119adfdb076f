package dav

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path"
	"slices"
	"strings"
	"sync"
	"testing"
)

// answeringServer is an address book at /book/ whose PUT answers are
// chosen by the record's name: "ok" stores it (201), "ghost" answers 201
// and stores nothing, "twohundred" answers 200 and stores nothing,
// "inner" answers 207 with a 412 inside (as Xandikos does for a card it
// cannot parse).
func answeringServer(t *testing.T) *httptest.Server {
	var mu sync.Mutex
	stored := map[string]bool{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		io.Copy(io.Discard, r.Body)
		switch r.Method {
		case "PROPFIND":
			w.WriteHeader(http.StatusMultiStatus)
			fmt.Fprint(w, `<?xml version="1.0"?><d:multistatus xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:carddav">`+
				`<d:response><d:href>/book/</d:href><d:propstat><d:prop><d:resourcetype><d:collection/><c:addressbook/></d:resourcetype></d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response>`)
			for n := range stored {
				fmt.Fprintf(w, `<d:response><d:href>/book/%s</d:href><d:propstat><d:prop><d:getetag>"%s"</d:getetag><d:resourcetype/></d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response>`, n, n)
			}
			fmt.Fprint(w, `</d:multistatus>`)
		case "PUT":
			name := path.Base(r.URL.Path)
			switch strings.TrimSuffix(name, ".vcf") {
			case "ok":
				stored[name] = true
				w.WriteHeader(http.StatusCreated)
			case "ghost":
				w.WriteHeader(http.StatusCreated)
			case "twohundred":
				w.WriteHeader(http.StatusOK)
			case "inner":
				w.WriteHeader(http.StatusMultiStatus)
				fmt.Fprintf(w, `<ns0:multistatus xmlns:ns0="DAV:"><ns0:response><ns0:href>%s</ns0:href><ns0:status>HTTP/1.1 412 Precondition Failed</ns0:status>`+
					`<ns0:responsedescription>Not a valid calendar file: Missing header and trailer lines</ns0:responsedescription></ns0:response></ns0:multistatus>`, r.URL.Path)
			}
		default:
			w.WriteHeader(http.StatusMethodNotAllowed)
		}
	}))
	t.Cleanup(srv.Close)
	return srv
}

// TestPutAnswers: only 201 and 204 are a stored record; a 207 with an
// error inside and a 200 are refusals, and a record the server answered
// 201 for but does not list afterwards is missing, not put.
func TestPutAnswers(t *testing.T) {
	srv := answeringServer(t)
	u, _ := url.Parse(srv.URL + "/book/")
	target := &Account{Kind: CardDAV, URL: u, Name: "test"}
	card := []byte("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:A\r\nEND:VCARD\r\n")
	var recs []Record
	for _, n := range []string{"ok", "ghost", "twohundred", "inner"} {
		recs = append(recs, Record{Name: n + ".vcf", Data: card})
	}
	res, err := Put(context.Background(), PutOptions{Target: target}, recs)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(res.Created, []string{"ok.vcf"}) || !slices.Equal(res.Missing, []string{"ghost.vcf"}) {
		t.Errorf("created %q, missing %q; want [ok.vcf], [ghost.vcf]", res.Created, res.Missing)
	}
	want := []string{"twohundred.vcf (200 OK, not 201 Created)",
		"inner.vcf (412 Precondition Failed inside 207 Multi-Status: Not a valid calendar file: Missing header and trailer lines)"}
	if !slices.Equal(res.Refused, want) {
		t.Errorf("refused %q, want %q", res.Refused, want)
	}
}
