// Package dav pulls CardDAV and CalDAV accounts into a local staging
// folder, incrementally, so that the backup code can back that folder up:
// one file per resource, with its exact bytes as the server serves them.
package dav

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/url"
	"path/filepath"
	"strings"
)

// Kinds of account.
const (
	CardDAV = "carddav"
	CalDAV  = "caldav"
)

// ErrURL is a source URL lifeboat cannot use.
var ErrURL = errors.New("bad CardDAV/CalDAV source")

// Account is a parsed carddav+https://user@host/path source.
type Account struct {
	Kind string   // CardDAV or CalDAV
	URL  *url.URL // http(s)://host/path, with no user information
	User string
	// Name is the source as lifeboat records it: the URL without any
	// password.
	Name string
}

// IsSource reports whether s names a CardDAV or CalDAV source.
func IsSource(s string) bool {
	return strings.HasPrefix(s, CardDAV+"+") || strings.HasPrefix(s, CalDAV+"+")
}

// ParseSource parses carddav+https://user@host/path (or caldav+...).
// Plain http is allowed only on loopback. A password in the URL is
// refused without being echoed.
func ParseSource(s string) (*Account, error) {
	kind, rest, ok := strings.Cut(s, "+")
	if !ok || (kind != CardDAV && kind != CalDAV) {
		return nil, fmt.Errorf("source must start with carddav+ or caldav+: %w", ErrURL)
	}
	u, err := url.Parse(rest)
	if err != nil {
		return nil, fmt.Errorf("%s source is not a valid URL: %w", kind, ErrURL)
	}
	if _, has := u.User.Password(); has {
		return nil, fmt.Errorf("%s source: a password in the URL is refused (it would show in process lists and logs); use --dav-password-file or LIFEBOAT_DAV_PASSWORD: %w", kind, ErrURL)
	}
	if u.Host == "" {
		return nil, fmt.Errorf("%s source has no host: %w", kind, ErrURL)
	}
	switch u.Scheme {
	case "https":
	case "http":
		if !loopback(u.Hostname()) {
			return nil, fmt.Errorf("%s+http is allowed only for loopback hosts (127.0.0.1, ::1, localhost); use %s+https: %w", kind, kind, ErrURL)
		}
	default:
		return nil, fmt.Errorf("%s source must use https (or http on loopback): %w", kind, ErrURL)
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return nil, fmt.Errorf("%s source must not have a query or fragment: %w", kind, ErrURL)
	}
	if u.Path == "" && u.RawPath == "" {
		// https://host and https://host/ are one account: one name,
		// one series of snapshots, one staging folder.
		u.Path = "/"
	}
	a := &Account{Kind: kind, Name: kind + "+" + u.String()}
	if u.User != nil {
		a.User = u.User.Username()
	}
	clean := *u
	clean.User = nil
	a.URL = &clean
	return a, nil
}

func loopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// StagingDir is the account's local mirror under root (normally
// $XDG_CACHE_HOME/lifeboat/dav): a stable name derived from the source
// URL without its password.
func (a *Account) StagingDir(root string) string {
	sum := sha256.Sum256([]byte(a.Name))
	return filepath.Join(root, hex.EncodeToString(sum[:])[:16])
}
