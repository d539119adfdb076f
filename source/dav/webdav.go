package dav

import (
	"bytes"
	"context"
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
)

// multistatus is the part of a WebDAV 207 answer lifeboat reads.
type multistatus struct {
	Responses []msResponse `xml:"DAV: response"`
	SyncToken string       `xml:"DAV: sync-token"`
}

type msResponse struct {
	Href      string `xml:"DAV: href"`
	Status    string `xml:"DAV: status"`
	Propstats []struct {
		Status string `xml:"DAV: status"`
		Prop   struct {
			ETag         *string `xml:"DAV: getetag"`
			ResourceType *struct {
				Collection  *struct{} `xml:"DAV: collection"`
				AddressBook *struct{} `xml:"urn:ietf:params:xml:ns:carddav addressbook"`
				Calendar    *struct{} `xml:"urn:ietf:params:xml:ns:caldav calendar"`
			} `xml:"DAV: resourcetype"`
			Principal *struct {
				Href string `xml:"DAV: href"`
			} `xml:"DAV: current-user-principal"`
		} `xml:"DAV: prop"`
	} `xml:"DAV: propstat"`
}

// ok reports whether a status line says 2xx (or is absent).
func statusOK(s string) bool {
	f := strings.Fields(s)
	return len(f) < 2 || strings.HasPrefix(f[1], "2")
}

func statusCode(s string) string {
	if f := strings.Fields(s); len(f) >= 2 {
		return f[1]
	}
	return ""
}

// entry is one resource of a listing.
type entry struct {
	href string // the decoded path
	etag string
	dir  bool
	kind string // CardDAV for an address book, CalDAV for a calendar
}

func (r *msResponse) entry(base *url.URL) (entry, error) {
	u, err := base.Parse(strings.TrimSpace(r.Href))
	if err != nil {
		return entry{}, fmt.Errorf("bad href %q: %w", r.Href, ErrServer)
	}
	e := entry{href: u.Path}
	for _, ps := range r.Propstats {
		if !statusOK(ps.Status) {
			continue
		}
		if ps.Prop.ETag != nil {
			e.etag = strings.TrimSpace(*ps.Prop.ETag)
		}
		if rt := ps.Prop.ResourceType; rt != nil && rt.Collection != nil {
			e.dir = true
			switch {
			case rt.AddressBook != nil:
				e.kind = CardDAV
			case rt.Calendar != nil:
				e.kind = CalDAV
			}
		}
	}
	return e, nil
}

// xmlRequest sends an XML body and reads a 207 multistatus. Redirects
// are followed here (up to 5), keeping the method and body. It returns
// the URL that answered.
func (c *client) xmlRequest(ctx context.Context, method string, u *url.URL, depth, body string) (*multistatus, *url.URL, error) {
	for hops := 0; ; hops++ {
		req, err := http.NewRequestWithContext(ctx, method, u.String(), bytes.NewReader([]byte(body)))
		if err != nil {
			return nil, nil, err
		}
		req.Header.Set("Content-Type", `application/xml; charset="utf-8"`)
		if depth != "" {
			req.Header.Set("Depth", depth)
		}
		resp, err := c.Do(req)
		if err != nil {
			return nil, nil, err
		}
		if loc := resp.Header.Get("Location"); resp.StatusCode/100 == 3 && loc != "" && hops < 5 {
			drain(resp)
			next, err := u.Parse(loc)
			if err != nil || (next.Scheme != u.Scheme && next.Scheme != "https") {
				return nil, nil, fmt.Errorf("%s %s: bad redirect: %w", method, u.Redacted(), ErrServer)
			}
			u = next
			continue
		}
		if resp.StatusCode != http.StatusMultiStatus {
			drain(resp)
			return nil, nil, &statusError{method, u.Redacted(), resp.StatusCode}
		}
		defer resp.Body.Close()
		var ms multistatus
		if err := xml.NewDecoder(io.LimitReader(resp.Body, maxBody)).Decode(&ms); err != nil {
			return nil, nil, fmt.Errorf("%s %s: unreadable answer: %w: %w", method, u.Redacted(), ErrServer, err)
		}
		return &ms, u, nil
	}
}

const propfindETags = `<?xml version="1.0" encoding="utf-8"?>
<d:propfind xmlns:d="DAV:"><d:prop><d:resourcetype/><d:getetag/></d:prop></d:propfind>`

const propfindPrincipal = `<?xml version="1.0" encoding="utf-8"?>
<d:propfind xmlns:d="DAV:"><d:prop><d:current-user-principal/></d:prop></d:propfind>`

func syncBody(token string) string {
	var b bytes.Buffer
	b.WriteString(`<?xml version="1.0" encoding="utf-8"?>` + "\n" + `<d:sync-collection xmlns:d="DAV:"><d:sync-token>`)
	_ = xml.EscapeText(&b, []byte(token))
	b.WriteString(`</d:sync-token><d:sync-level>1</d:sync-level><d:prop><d:getetag/></d:prop></d:sync-collection>`)
	return b.String()
}

// get fetches one resource's exact bytes and its ETag; found is false on
// 404 or 410 (deleted meanwhile).
func (c *client) get(ctx context.Context, u *url.URL) (data []byte, etag string, found bool, err error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, "", false, err
	}
	resp, err := c.Do(req)
	if err != nil {
		return nil, "", false, err
	}
	defer resp.Body.Close()
	switch {
	case resp.StatusCode == http.StatusNotFound || resp.StatusCode == http.StatusGone:
		return nil, "", false, nil
	case resp.StatusCode != http.StatusOK:
		return nil, "", false, &statusError{"GET", u.Redacted(), resp.StatusCode}
	}
	data, err = io.ReadAll(io.LimitReader(resp.Body, maxBody+1))
	if err != nil {
		if ctx.Err() != nil {
			return nil, "", false, ctx.Err()
		}
		return nil, "", false, fmt.Errorf("GET %s: %w: %w", u.Redacted(), ErrServer, err)
	}
	if len(data) > maxBody {
		return nil, "", false, fmt.Errorf("GET %s: larger than %d bytes: %w", u.Redacted(), maxBody, ErrServer)
	}
	return data, strings.TrimSpace(resp.Header.Get("ETag")), true, nil
}
