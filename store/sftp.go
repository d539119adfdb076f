package store

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"os"
	"path"
	"path/filepath"
	"strings"
	"time"

	"github.com/pkg/sftp"
	"golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/agent"
	"golang.org/x/crypto/ssh/knownhosts"
)

// SFTP is a store in a folder of an SSH server. Objects are written to
// tmp/, fsynced (fsync@openssh.com), and renamed into place with
// posix-rename@openssh.com, so a half-written object never appears.
type SFTP struct {
	loc    string
	root   string
	conn   *ssh.Client
	client *sftp.Client
}

var _ Store = (*SFTP)(nil)

// SFTPOptions say how to authenticate. Empty fields take the usual
// OpenSSH places: ~/.ssh/known_hosts, ~/.ssh/id_ed25519 and id_rsa, and
// the agent at $SSH_AUTH_SOCK.
type SFTPOptions struct {
	KnownHosts string
	KeyFiles   []string
	Timeout    time.Duration
}

// ParseSFTP splits sftp://user@host[:port]/path.
func ParseSFTP(loc string) (user, addr, dir string, err error) {
	rest, ok := strings.CutPrefix(loc, "sftp://")
	if !ok {
		return "", "", "", fmt.Errorf("%s: %w: not an sftp:// location", loc, ErrBadLocation)
	}
	hostport, dir, _ := strings.Cut(rest, "/")
	user, host, ok := strings.Cut(hostport, "@")
	if strings.Contains(user, ":") {
		// Not echoed: it would put the password in logs.
		return "", "", "", fmt.Errorf("%w: an sftp:// location must not carry a password; lifeboat uses SSH keys", ErrBadLocation)
	}
	if !ok || user == "" || host == "" {
		return "", "", "", fmt.Errorf("%s: %w: want sftp://user@host[:port]/path", loc, ErrBadLocation)
	}
	if _, _, err := net.SplitHostPort(host); err != nil {
		host = net.JoinHostPort(host, "22")
	}
	return user, host, "/" + dir, nil
}

// ErrHostKey: the server's host key is not in known_hosts, differs from
// the one there, or known_hosts cannot be read.
var ErrHostKey = errors.New("cannot verify the server's host key")

// DialSFTP connects to an SFTP location. The server's host key must be in
// known_hosts: an unknown or changed key is refused.
func DialSFTP(ctx context.Context, loc string, o SFTPOptions) (*SFTP, error) {
	user, addr, dir, err := ParseSFTP(loc)
	if err != nil {
		return nil, err
	}
	home, _ := os.UserHomeDir()
	if o.KnownHosts == "" {
		o.KnownHosts = filepath.Join(home, ".ssh", "known_hosts")
	}
	if o.KeyFiles == nil {
		o.KeyFiles = []string{filepath.Join(home, ".ssh", "id_ed25519"), filepath.Join(home, ".ssh", "id_rsa")}
	}
	if o.Timeout == 0 {
		o.Timeout = 30 * time.Second
	}
	hostKey, err := knownhosts.New(o.KnownHosts)
	if err != nil {
		return nil, fmt.Errorf("%s: %w: %w", loc, ErrHostKey, err)
	}
	cfg := &ssh.ClientConfig{User: user, HostKeyCallback: hostKey, Auth: authMethods(o.KeyFiles), Timeout: o.Timeout}
	d := net.Dialer{Timeout: o.Timeout}
	nc, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", loc, err)
	}
	nc.SetDeadline(time.Now().Add(o.Timeout))
	c, chans, reqs, err := ssh.NewClientConn(nc, addr, cfg)
	if err != nil {
		nc.Close()
		if ke := new(knownhosts.KeyError); errors.As(err, &ke) {
			return nil, fmt.Errorf("%s: %w: %w", loc, ErrHostKey, err)
		}
		return nil, fmt.Errorf("%s: %w", loc, err)
	}
	nc.SetDeadline(time.Time{})
	conn := ssh.NewClient(c, chans, reqs)
	client, err := sftp.NewClient(conn)
	if err != nil {
		conn.Close()
		return nil, fmt.Errorf("%s: %w", loc, err)
	}
	return &SFTP{loc: loc, root: path.Clean(dir), conn: conn, client: client}, nil
}

func authMethods(keyFiles []string) []ssh.AuthMethod {
	var signers []ssh.Signer
	for _, f := range keyFiles {
		b, err := os.ReadFile(f)
		if err != nil {
			continue
		}
		if s, err := ssh.ParsePrivateKey(b); err == nil {
			signers = append(signers, s)
		}
	}
	if sock := os.Getenv("SSH_AUTH_SOCK"); sock != "" {
		if c, err := net.Dial("unix", sock); err == nil {
			if more, err := agent.NewClient(c).Signers(); err == nil {
				signers = append(signers, more...)
			}
		}
	}
	return []ssh.AuthMethod{ssh.PublicKeys(signers...)}
}

// Close ends the connection.
func (s *SFTP) Close() error {
	s.client.Close()
	return s.conn.Close()
}

// Location returns the sftp:// location.
func (s *SFTP) Location() string { return s.loc }

func (s *SFTP) path(name string) (string, error) {
	if err := CheckName(name); err != nil {
		return "", fmt.Errorf("%q: %w", name, err)
	}
	return path.Join(s.root, name), nil
}

func (s *SFTP) notFound(name string, err error) error {
	if errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("%s: %w", name, ErrNotFound)
	}
	return lost(err)
}

// lost marks a lost connection as ErrUnavailable.
func lost(err error) error {
	if errors.Is(err, sftp.ErrSSHFxConnectionLost) {
		return fmt.Errorf("%w: %w", ErrUnavailable, err)
	}
	return err
}

// Create starts an object in tmp/.
func (s *SFTP) Create(ctx context.Context) (Writer, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	tmp := path.Join(s.root, tmpDir, "obj-"+randomName())
	f, err := s.client.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL)
	if errors.Is(err, fs.ErrNotExist) {
		if err = s.client.MkdirAll(path.Dir(tmp)); err == nil {
			f, err = s.client.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL)
		}
	}
	if err != nil {
		return nil, err
	}
	return &sftpWriter{s: s, f: f, tmp: tmp}, nil
}

type sftpWriter struct {
	s    *SFTP
	f    *sftp.File
	tmp  string
	done bool
}

func (w *sftpWriter) Write(p []byte) (int, error) { return w.f.Write(p) }

func (w *sftpWriter) Commit(name string) error {
	dst, err := w.s.path(name)
	if err != nil {
		return err
	}
	if err := w.f.Sync(); err != nil && !errors.Is(err, sftp.ErrSSHFxOpUnsupported) {
		return err
	}
	if err := w.f.Close(); err != nil {
		return err
	}
	if err := w.s.client.MkdirAll(path.Dir(dst)); err != nil {
		return err
	}
	if err := w.s.client.PosixRename(w.tmp, dst); err != nil {
		return err
	}
	w.done = true
	return nil
}

func (w *sftpWriter) Abort() {
	if !w.done {
		w.f.Close()
		w.s.client.Remove(w.tmp)
		w.done = true
	}
}

type sftpObject struct {
	*sftp.File
	size int64
}

func (o sftpObject) Size() int64 { return o.size }

func (o sftpObject) ReadAt(p []byte, off int64) (int, error) {
	n, err := o.File.ReadAt(p, off)
	return n, lost(err)
}

// Open opens an object for range reads.
func (s *SFTP) Open(ctx context.Context, name string) (Object, error) {
	p, err := s.path(name)
	if err != nil {
		return nil, err
	}
	f, err := s.client.Open(p)
	if err != nil {
		return nil, s.notFound(name, err)
	}
	fi, err := f.Stat()
	if err != nil || !fi.Mode().IsRegular() {
		f.Close()
		return nil, fmt.Errorf("%s: %w", name, ErrNotFound)
	}
	return sftpObject{f, fi.Size()}, nil
}

// Load reads a whole object.
func (s *SFTP) Load(ctx context.Context, name string) ([]byte, error) {
	o, err := s.Open(ctx, name)
	if err != nil {
		return nil, err
	}
	defer o.Close()
	b := make([]byte, o.Size())
	if _, err := o.ReadAt(b, 0); err != nil && len(b) > 0 {
		if n, _ := o.ReadAt(b, 0); n != len(b) {
			return nil, err
		}
	}
	return b, nil
}

// Stat returns an object's size.
func (s *SFTP) Stat(ctx context.Context, name string) (int64, error) {
	p, err := s.path(name)
	if err != nil {
		return 0, err
	}
	fi, err := s.client.Stat(p)
	if err != nil {
		return 0, s.notFound(name, err)
	}
	if !fi.Mode().IsRegular() {
		return 0, fmt.Errorf("%s: %w", name, ErrNotFound)
	}
	return fi.Size(), nil
}

// Remove deletes an object.
func (s *SFTP) Remove(ctx context.Context, name string) error {
	p, err := s.path(name)
	if err != nil {
		return err
	}
	fi, err := s.client.Lstat(p)
	if err != nil {
		return s.notFound(name, err)
	}
	if !fi.Mode().IsRegular() {
		return fmt.Errorf("%s: %w", name, ErrNotFound)
	}
	return s.notFound(name, s.client.Remove(p))
}

// List walks dir; a missing dir lists nothing.
func (s *SFTP) List(ctx context.Context, dir string, fn func(string, int64) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	p, err := s.path(dir)
	if err != nil {
		return err
	}
	w := s.client.Walk(p)
	for w.Step() {
		if err := w.Err(); err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				if w.Path() == p {
					return nil
				}
				continue // removed while listing
			}
			return err
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		fi := w.Stat()
		if fi.IsDir() || strings.HasPrefix(path.Base(w.Path()), ".") {
			continue
		}
		rel := strings.TrimPrefix(w.Path(), s.root+"/")
		if err := fn(rel, fi.Size()); err != nil {
			return err
		}
	}
	return nil
}
