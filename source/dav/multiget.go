package dav

import (
	"bytes"
	"context"
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"path"
	"strings"
)

// multigetBatch is how many records one multiget REPORT asks for.
const multigetBatch = 100

// multistatusData is a multiget answer: each record's href and content.
type multistatusData struct {
	Responses []struct {
		Href      string `xml:"DAV: href"`
		Propstats []struct {
			Status string `xml:"DAV: status"`
			Prop   struct {
				AddressData  *string `xml:"urn:ietf:params:xml:ns:carddav address-data"`
				CalendarData *string `xml:"urn:ietf:params:xml:ns:caldav calendar-data"`
			} `xml:"DAV: prop"`
		} `xml:"DAV: propstat"`
	} `xml:"DAV: response"`
}

// multiget reads the named resources of the collection, by name, with
// an addressbook-multiget (calendar-multiget) REPORT (RFC 6352 8.7, RFC
// 4791 7.9) instead of a GET each: a rerun of a restore compares every
// record with the server's copy. A name the answer does not hold, or
// every name when the server refuses the REPORT, is left out; the
// caller GETs those.
func (c *client) multiget(ctx context.Context, coll *url.URL, kind string, names []string) map[string][]byte {
	got, err := c.multigetReport(ctx, coll, kind, names)
	if err != nil {
		return nil
	}
	return got
}

func (c *client) multigetReport(ctx context.Context, coll *url.URL, kind string, names []string) (map[string][]byte, error) {
	var b bytes.Buffer
	if kind == CardDAV {
		b.WriteString(`<?xml version="1.0" encoding="utf-8"?>` + "\n" +
			`<c:addressbook-multiget xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:carddav"><d:prop><d:getetag/><c:address-data/></d:prop>`)
	} else {
		b.WriteString(`<?xml version="1.0" encoding="utf-8"?>` + "\n" +
			`<c:calendar-multiget xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav"><d:prop><d:getetag/><c:calendar-data/></d:prop>`)
	}
	for _, n := range names {
		b.WriteString("<d:href>")
		_ = xml.EscapeText(&b, []byte(coll.JoinPath(n).EscapedPath()))
		b.WriteString("</d:href>")
	}
	if kind == CardDAV {
		b.WriteString(`</c:addressbook-multiget>`)
	} else {
		b.WriteString(`</c:calendar-multiget>`)
	}
	req, err := http.NewRequestWithContext(ctx, "REPORT", coll.String(), bytes.NewReader(b.Bytes()))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", `application/xml; charset="utf-8"`)
	req.Header.Set("Depth", "1")
	resp, err := c.Do(req)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusMultiStatus {
		drain(resp)
		return nil, &statusError{"REPORT", coll.Redacted(), resp.StatusCode}
	}
	defer resp.Body.Close()
	var ms multistatusData
	if err := xml.NewDecoder(io.LimitReader(resp.Body, maxBody)).Decode(&ms); err != nil {
		return nil, fmt.Errorf("REPORT %s: unreadable answer: %w: %w", coll.Redacted(), ErrServer, err)
	}
	out := map[string][]byte{}
	for _, r := range ms.Responses {
		u, err := coll.Parse(strings.TrimSpace(r.Href))
		if err != nil {
			continue
		}
		for _, ps := range r.Propstats {
			data := ps.Prop.AddressData
			if kind == CalDAV {
				data = ps.Prop.CalendarData
			}
			if statusOK(ps.Status) && data != nil && *data != "" {
				out[path.Base(u.Path)] = []byte(*data)
			}
		}
	}
	return out, nil
}
