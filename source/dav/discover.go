package dav

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"os"
	"sort"

	"github.com/emersion/go-webdav/caldav"
	"github.com/emersion/go-webdav/carddav"
)

// collection is an address book or calendar on the server.
type collection struct {
	href string // decoded path, ending in "/"
	typ  string // "addressbook" or "calendar"
	name string // display name
}

// accountState is what discovery found, kept beside the staging folder
// (not inside it, so it is not backed up): the next run lists the
// collections of the home set at once.
type accountState struct {
	Home string `json:"home"`
}

// collections lists the account's address books or calendars, from the
// remembered home set or by discovery.
func (s *syncer) collections(ctx context.Context) ([]collection, error) {
	var st accountState
	if b, err := os.ReadFile(s.stateFile); err == nil && json.Unmarshal(b, &st) == nil && st.Home != "" {
		colls, err := s.list(ctx, st.Home)
		if err == nil || errors.Is(err, ErrAuth) || ctx.Err() != nil {
			return colls, err
		}
	}
	home, err := s.discover(ctx)
	if err != nil {
		return nil, err
	}
	colls, err := s.list(ctx, home)
	if err != nil {
		return nil, err
	}
	b, _ := json.Marshal(accountState{Home: home})
	_ = writeFileAtomic(s.stateFile, b)
	return colls, nil
}

// discover finds the home set: the current user's principal from the
// given path, or from /.well-known/carddav|caldav and then / when the path
// is the server root; then the principal's home set.
func (s *syncer) discover(ctx context.Context) (string, error) {
	starts := []string{s.acct.URL.Path}
	if s.acct.URL.Path == "/" {
		starts = []string{"/.well-known/" + s.acct.Kind, "/"}
	}
	var principal string
	var lastErr error
	for _, p := range starts {
		u := s.base.ResolveReference(&url.URL{Path: p})
		ms, at, err := s.c.xmlRequest(ctx, "PROPFIND", u, "0", propfindPrincipal)
		if err != nil {
			if errors.Is(err, ErrAuth) || ctx.Err() != nil {
				return "", err
			}
			lastErr = err
			continue
		}
		principal = findPrincipal(ms, at)
		if principal != "" {
			if at.Host != s.base.Host || at.Scheme != s.base.Scheme {
				return "", fmt.Errorf("discovery redirected to another server (%s): %w", at.Host, ErrServer)
			}
			break
		}
		lastErr = fmt.Errorf("%s names no current-user-principal: %w", u.Redacted(), ErrServer)
	}
	if principal == "" {
		return "", fmt.Errorf("discovery failed: %w", lastErr)
	}
	var home string
	var err error
	if s.acct.Kind == CardDAV {
		var cc *carddav.Client
		if cc, err = carddav.NewClient(s.c, s.base.String()); err == nil {
			home, err = cc.FindAddressBookHomeSet(ctx, principal)
		}
	} else {
		var cc *caldav.Client
		if cc, err = caldav.NewClient(s.c, s.base.String()); err == nil {
			home, err = cc.FindCalendarHomeSet(ctx, principal)
		}
	}
	if err != nil {
		return "", davErr("finding the home set", err)
	}
	return home, nil
}

func findPrincipal(ms *multistatus, at *url.URL) string {
	for _, r := range ms.Responses {
		for _, ps := range r.Propstats {
			if p := ps.Prop.Principal; statusOK(ps.Status) && p != nil && p.Href != "" {
				if u, err := at.Parse(p.Href); err == nil {
					return u.Path
				}
			}
		}
	}
	return ""
}

// list returns the address books or calendars (events and to-dos alike)
// in the home set.
func (s *syncer) list(ctx context.Context, home string) ([]collection, error) {
	var out []collection
	if s.acct.Kind == CardDAV {
		cc, err := carddav.NewClient(s.c, s.base.String())
		if err != nil {
			return nil, err
		}
		books, err := cc.FindAddressBooks(ctx, home)
		if err != nil {
			return nil, davErr("listing address books", err)
		}
		for _, b := range books {
			out = append(out, collection{href: dirPath(b.Path), typ: "addressbook", name: b.Name})
		}
	} else {
		cc, err := caldav.NewClient(s.c, s.base.String())
		if err != nil {
			return nil, err
		}
		cals, err := cc.FindCalendars(ctx, home)
		if err != nil {
			return nil, davErr("listing calendars", err)
		}
		for _, c := range cals {
			out = append(out, collection{href: dirPath(c.Path), typ: "calendar", name: c.Name})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].href < out[j].href })
	return out, nil
}

func dirPath(p string) string {
	if len(p) == 0 || p[len(p)-1] != '/' {
		return p + "/"
	}
	return p
}

// davErr marks an error from go-webdav as the server's, keeping ErrAuth
// and cancellation as they are.
func davErr(what string, err error) error {
	if errors.Is(err, ErrAuth) || errors.Is(err, ErrServer) || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("%s: %w", what, err)
	}
	return fmt.Errorf("%s: %w: %w", what, ErrServer, err)
}
