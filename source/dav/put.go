package dav

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"path"
	"strings"
)

// Record is one record to put into a collection: its file name there
// and its exact bytes.
type Record struct {
	Name string
	Data []byte
	// Earlier is the record as lifeboat put it before it wrote line ends
	// and photos the way servers take them (nil when the same as Data):
	// a server holding it already holds this record.
	Earlier []byte
}

// PutOptions say where records go back to.
type PutOptions struct {
	// Target is the collection: carddav+https://user@host/path/ (or
	// caldav+...). It is created when missing.
	Target    *Account
	Password  string
	Overwrite bool // replace a resource of the same name that differs
	DryRun    bool // change nothing; report what would be done
	// DisplayName names the collection when Put creates it ("" is
	// "Restored by lifeboat").
	DisplayName string
	// Progress, when set, is called after each record with the number
	// of records done.
	Progress  func(done int)
	Transport http.RoundTripper
}

// PutResult says what Put did (or, on a dry run, would do), by name.
type PutResult struct {
	CreatedCollection bool
	Created, Same     []string
	Replaced          []string
	// Differ are resources that exist with other content and were left
	// alone (without Overwrite).
	Differ []string
	// Refused are resources the server would not take, with its answer.
	Refused []string
	// Missing are resources the server answered for as stored but does
	// not list when read back after the restore.
	Missing []string
}

// Put stores records in a collection, never deleting anything: a record
// already there with the same bytes is skipped, one with other bytes is
// left alone unless Overwrite. A record the server refuses (a UID it
// already holds under another name, say) is reported, not fatal. After
// the puts the collection is listed again: only the records it lists
// count as put (or replaced), the others are Missing.
func Put(ctx context.Context, opts PutOptions, recs []Record) (*PutResult, error) {
	c := newClient(opts.Transport, opts.Target.User, opts.Password)
	coll := *opts.Target.URL
	if !strings.HasSuffix(coll.Path, "/") {
		coll.Path += "/"
	}
	res := &PutResult{}
	existing, found, kind, err := c.listing(ctx, &coll)
	if err != nil {
		return nil, err
	}
	if found && kind != opts.Target.Kind {
		return nil, fmt.Errorf("not %s; %w", map[string]string{CardDAV: "an address book", CalDAV: "a calendar"}[opts.Target.Kind], ErrNotCollection)
	}
	if !found {
		res.CreatedCollection = true
		if !opts.DryRun {
			if err := c.makeCollection(ctx, &coll, opts.Target.Kind, opts.DisplayName); err != nil {
				return nil, err
			}
		}
	}
	var there []string
	for _, rec := range recs {
		if _, ok := existing[rec.Name]; ok {
			there = append(there, rec.Name)
		}
	}
	fetched := map[string][]byte{}
	for i, rec := range recs {
		if len(there) > 0 && there[0] == rec.Name {
			// The next multigetBatch records already there, read as
			// they come, so that Progress moves on.
			n := min(len(there), multigetBatch)
			for name, data := range c.multiget(ctx, &coll, opts.Target.Kind, there[:n]) {
				fetched[name] = data
			}
			there = there[n:]
		}
		u := coll.JoinPath(rec.Name)
		if err := c.putOne(ctx, u, rec, existing, fetched, opts, res); err != nil {
			return res, err
		}
		if opts.Progress != nil {
			opts.Progress(i + 1)
		}
	}
	if opts.DryRun {
		return res, nil
	}
	return res, c.verify(ctx, &coll, res)
}

// ErrNotCollection is a restore target that exists but is not an address
// book (calendar): the server root, a principal, a calendar for cards.
var ErrNotCollection = errors.New("nothing was put there")

// listing returns the collection's resources (name → ETag), whether the
// collection exists, and its kind (CardDAV, CalDAV or "" for neither).
func (c *client) listing(ctx context.Context, coll *url.URL) (map[string]string, bool, string, error) {
	ms, at, err := c.xmlRequest(ctx, "PROPFIND", coll, "1", propfindETags)
	var se *statusError
	if errors.As(err, &se) && se.code == http.StatusNotFound {
		return map[string]string{}, false, "", nil
	}
	if err != nil {
		return nil, false, "", err
	}
	// Some servers (Xandikos) answer 207 for a missing collection, with a
	// 404 inside: the target exists only if it is listed (and Xandikos
	// lists its root and principals without resourcetype collection).
	out, exists, kind := map[string]string{}, false, ""
	for i := range ms.Responses {
		e, err := ms.Responses[i].entry(at)
		if err != nil || !statusOK(ms.Responses[i].Status) {
			continue
		}
		if strings.TrimSuffix(e.href, "/") == strings.TrimSuffix(at.Path, "/") {
			exists, kind = true, e.kind
			continue
		}
		if !e.dir {
			out[path.Base(e.href)] = e.etag
		}
	}
	return out, exists, kind, nil
}

const (
	mkAddressBook = `<?xml version="1.0" encoding="utf-8"?>
<d:mkcol xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:carddav"><d:set><d:prop><d:resourcetype><d:collection/><c:addressbook/></d:resourcetype><d:displayname>%s</d:displayname></d:prop></d:set></d:mkcol>`
	mkCalendar = `<?xml version="1.0" encoding="utf-8"?>
<c:mkcalendar xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav"><d:set><d:prop><d:displayname>%s</d:displayname><c:supported-calendar-component-set><c:comp name="VEVENT"/><c:comp name="VTODO"/><c:comp name="VJOURNAL"/></c:supported-calendar-component-set></d:prop></d:set></c:mkcalendar>`
)

// DefaultDisplayName names a collection Put creates without a name.
const DefaultDisplayName = "Restored by lifeboat"

// makeCollection creates an address book (extended MKCOL, RFC 5689) or a
// calendar (MKCALENDAR, RFC 4791) with the display name name.
func (c *client) makeCollection(ctx context.Context, coll *url.URL, kind, name string) error {
	if strings.TrimSpace(name) == "" {
		name = DefaultDisplayName
	}
	var esc bytes.Buffer
	_ = xml.EscapeText(&esc, []byte(name))
	method, body := "MKCOL", fmt.Sprintf(mkAddressBook, esc.String())
	if kind == CalDAV {
		method, body = "MKCALENDAR", fmt.Sprintf(mkCalendar, esc.String())
	}
	req, err := http.NewRequestWithContext(ctx, method, coll.String(), strings.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", `application/xml; charset="utf-8"`)
	resp, err := c.Do(req)
	if err != nil {
		return err
	}
	drain(resp)
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("create the collection: %w", &statusError{method, coll.Redacted(), resp.StatusCode})
	}
	return nil
}

// putOne puts one record, unless the collection holds it already
// (existing: name → ETag) with the same content (fetched: name → bytes,
// as a multiget read them; a GET reads the others).
func (c *client) putOne(ctx context.Context, u *url.URL, rec Record, existing map[string]string, fetched map[string][]byte, opts PutOptions, res *PutResult) error {
	etag, there := existing[rec.Name]
	if there {
		data, found := fetched[rec.Name]
		if !found {
			var err error
			if data, _, found, err = c.get(ctx, u); err != nil {
				return err
			}
		}
		switch {
		case found && (SameContent(data, rec.Data) || (rec.Earlier != nil && SameContent(data, rec.Earlier))):
			res.Same = append(res.Same, rec.Name)
			return nil
		case found && !opts.Overwrite:
			res.Differ = append(res.Differ, rec.Name)
			return nil
		}
	}
	if opts.DryRun {
		if there {
			res.Replaced = append(res.Replaced, rec.Name)
		} else {
			res.Created = append(res.Created, rec.Name)
		}
		return nil
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPut, u.String(), bytes.NewReader(rec.Data))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", contentType(opts.Target.Kind))
	if there && etag != "" {
		req.Header.Set("If-Match", etag)
	} else if !there {
		req.Header.Set("If-None-Match", "*")
	}
	resp, err := c.Do(req)
	if err != nil {
		return err
	}
	if resp.StatusCode >= 500 {
		drain(resp)
		return &statusError{"PUT", u.Redacted(), resp.StatusCode}
	}
	switch why := refusal(resp); {
	case why != "":
		res.Refused = append(res.Refused, fmt.Sprintf("%s (%s)", rec.Name, why))
	case there:
		res.Replaced = append(res.Replaced, rec.Name)
	default:
		res.Created = append(res.Created, rec.Name)
	}
	return nil
}

func contentType(kind string) string {
	if kind == CardDAV {
		return "text/vcard; charset=utf-8"
	}
	return "text/calendar; charset=utf-8"
}
