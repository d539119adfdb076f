package dav

import (
	"context"
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"unicode/utf8"
)

// refusal reads the answer to a PUT: "" when the server stored the
// record (201 Created, or 204 No Content for a replaced one), else why
// not, in the server's words. Any other answer is a refusal, 2xx or not:
// Xandikos answers 207 Multi-Status with a 412 inside for a card it
// cannot parse, and stores nothing.
func refusal(resp *http.Response) string {
	defer drain(resp)
	switch resp.StatusCode {
	case http.StatusCreated, http.StatusNoContent:
		return ""
	case http.StatusMultiStatus:
		var ms struct {
			Responses []struct {
				Status      string `xml:"DAV: status"`
				Description string `xml:"DAV: responsedescription"`
			} `xml:"DAV: response"`
		}
		if xml.NewDecoder(io.LimitReader(resp.Body, 1<<16)).Decode(&ms) == nil {
			for _, r := range ms.Responses {
				if !statusOK(r.Status) {
					return inner(r.Status, r.Description)
				}
			}
		}
		return resp.Status + ", not 201 Created"
	case http.StatusOK, http.StatusAccepted:
		return resp.Status + ", not 201 Created"
	}
	return resp.Status
}

// inner names a status found inside a multistatus, with the server's
// description (shortened: it is the server's text, one line).
func inner(status, desc string) string {
	f := strings.Fields(status)
	if len(f) > 0 && strings.HasPrefix(f[0], "HTTP/") {
		f = f[1:]
	}
	s := strings.Join(f, " ")
	if s == "" {
		s = "an error"
	}
	s += " inside 207 Multi-Status"
	desc = strings.Join(strings.Fields(desc), " ")
	if len(desc) > 160 {
		cut := 160
		for cut > 0 && !utf8.RuneStart(desc[cut]) {
			cut--
		}
		desc = desc[:cut] + "..."
	}
	if desc != "" {
		s += ": " + desc
	}
	return s
}

// verify reads the collection back after a restore and keeps as put
// (replaced) only the records the server now lists: one that it answered
// for but does not list moves to Missing.
func (c *client) verify(ctx context.Context, coll *url.URL, res *PutResult) error {
	if len(res.Created)+len(res.Replaced) == 0 {
		return nil
	}
	listed, _, _, err := c.listing(ctx, coll)
	if err != nil {
		return fmt.Errorf("read back what was put: %w", err)
	}
	keep := func(names []string) []string {
		var out []string
		for _, n := range names {
			if _, ok := listed[n]; ok {
				out = append(out, n)
			} else {
				res.Missing = append(res.Missing, n)
			}
		}
		return out
	}
	res.Created, res.Replaced = keep(res.Created), keep(res.Replaced)
	return nil
}
