package store

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"path"

	"github.com/minio/minio-go/v7"
	"github.com/pkg/sftp"
)

// ErrTaken is returned by SaveNew for a name that already holds an object.
var ErrTaken = errors.New("object already exists")

// NewSaver is a Store that can store an object only when its name is
// free, atomically: of two writers racing for one name, exactly one
// succeeds (a local folder links the temporary file under the name, which
// fails when the name exists; SFTP renames without replacing; S3 puts
// with If-None-Match).
type NewSaver interface {
	SaveNew(ctx context.Context, name string, data []byte) error
}

// SaveNew stores data under name unless the name holds an object, in
// which case it fails with ErrTaken. Local, SFTP and S3 are NewSavers; on
// another store the check and the write are two steps, so two writers
// racing there could both succeed.
func SaveNew(ctx context.Context, s Store, name string, data []byte) error {
	if n, ok := s.(NewSaver); ok {
		return n.SaveNew(ctx, name, data)
	}
	_, err := s.Stat(ctx, name)
	if err == nil {
		return fmt.Errorf("%s: %w", name, ErrTaken)
	}
	if !errors.Is(err, ErrNotFound) {
		return err
	}
	return Save(ctx, s, name, data)
}

var (
	_ NewSaver = (*SFTP)(nil)
	_ NewSaver = (*S3)(nil)
)

// SaveNew stores data under name unless the name is taken (ErrTaken):
// the plain SFTP rename, unlike posix-rename@openssh.com, fails when the
// target exists (OpenSSH's server links, then unlinks), so of two racing
// writers one wins.
func (s *SFTP) SaveNew(ctx context.Context, name string, data []byte) error {
	cw, err := s.Create(ctx)
	if err != nil {
		return err
	}
	w := cw.(*sftpWriter)
	defer w.Abort()
	dst, err := s.path(name)
	if err != nil {
		return err
	}
	if _, err := w.Write(data); err != nil {
		return lost(err)
	}
	if err := w.f.Sync(); err != nil && !errors.Is(err, sftp.ErrSSHFxOpUnsupported) {
		return lost(err)
	}
	if err := w.f.Close(); err != nil {
		return lost(err)
	}
	if err := s.client.MkdirAll(path.Dir(dst)); err != nil {
		return lost(err)
	}
	if err := s.client.Rename(w.tmp, dst); err != nil {
		if _, serr := s.client.Lstat(dst); serr == nil {
			return fmt.Errorf("%s: %w", name, ErrTaken)
		}
		return lost(err)
	}
	w.done = true
	return nil
}

// SaveNew stores data under name unless the name is taken (ErrTaken),
// with a conditional PUT (If-None-Match: *), after a check for servers
// that ignore the condition.
func (s *S3) SaveNew(ctx context.Context, name string, data []byte) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	key, err := s.key(name)
	if err != nil {
		return err
	}
	if _, err := s.Stat(ctx, name); err == nil {
		return fmt.Errorf("%s: %w", name, ErrTaken)
	} else if !errors.Is(err, ErrNotFound) {
		return err
	}
	opts := minio.PutObjectOptions{SendContentMd5: true, DisableMultipart: true, ContentType: "application/octet-stream"}
	opts.SetMatchETagExcept("*")
	_, err = s.client.PutObject(ctx, s.bucket, key, bytes.NewReader(data), int64(len(data)), opts)
	if code := minio.ToErrorResponse(err).Code; code == "PreconditionFailed" || code == "ConditionalRequestConflict" {
		return fmt.Errorf("%s: %w", name, ErrTaken)
	}
	if err != nil {
		return fmt.Errorf("put %w", s.notFound(name, err))
	}
	return nil
}
