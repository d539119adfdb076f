package store

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"path"
	"strings"
	"time"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"
	"github.com/minio/minio-go/v7/pkg/s3utils"
)

// S3 is a store under a prefix of an S3 bucket. A PUT is atomic in S3, so
// an object is buffered until Commit and then sent in one request, with
// its MD5 so that the server refuses bytes damaged on the way. Objects
// are at most a pack (about 16 MiB), so the buffer stays small.
type S3 struct {
	loc       string
	bucket    string
	prefix    string // "" or ending in "/"
	region    string
	transport http.RoundTripper
	client    *minio.Client
}

var _ Store = (*S3)(nil)

// S3Options say how to reach and authenticate to the server. Empty
// credentials are taken from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY,
// then the shared credentials file (~/.aws/credentials, or
// AWS_SHARED_CREDENTIALS_FILE, profile AWS_PROFILE), then MINIO_ROOT_USER /
// MINIO_ROOT_PASSWORD.
type S3Options struct {
	AccessKey, SecretKey string
	Region               string            // default AWS_REGION, else asked of the server
	Transport            http.RoundTripper // default: a transport with timeouts
	Timeout              time.Duration     // connect and response-header timeout; default 30 s
}

// ParseS3 splits s3://host[:port]/bucket[/prefix] (HTTPS) and
// s3+http://host[:port]/bucket[/prefix] (plain HTTP, for loopback).
func ParseS3(loc string) (endpoint, bucket, prefix string, secure bool, err error) {
	rest, secure := strings.CutPrefix(loc, "s3://")
	if !secure {
		var ok bool
		if rest, ok = strings.CutPrefix(loc, "s3+http://"); !ok {
			return "", "", "", false, fmt.Errorf("%s: %w: not an s3:// location", loc, ErrBadLocation)
		}
	}
	endpoint, p, _ := strings.Cut(rest, "/")
	if strings.Contains(endpoint, "@") {
		// Not echoed: it would put the secret in logs.
		return "", "", "", false, fmt.Errorf("%w: an s3:// location must not carry credentials; set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY", ErrBadLocation)
	}
	bucket, prefix, _ = strings.Cut(strings.Trim(p, "/"), "/")
	if strings.ContainsAny(rest, "?#") {
		// Not echoed: a query may carry a signature or key.
		return "", "", "", false, fmt.Errorf("%w: an s3:// location takes no query or fragment", ErrBadLocation)
	}
	if endpoint == "" || bucket == "" {
		return "", "", "", false, fmt.Errorf("%s: %w: want s3://host[:port]/bucket[/prefix]", loc, ErrBadLocation)
	}
	if err := s3utils.CheckValidBucketName(bucket); err != nil {
		return "", "", "", false, fmt.Errorf("%s: %w: bucket %q: %v", loc, ErrBadLocation, bucket, err)
	}
	if prefix != "" {
		if err := CheckName(prefix); err != nil {
			return "", "", "", false, fmt.Errorf("%s: %w: bad prefix %q", loc, ErrBadLocation, prefix)
		}
		prefix += "/"
	}
	return endpoint, bucket, prefix, secure, nil
}

// ErrNoCredentials is returned when no S3 credentials are configured.
var ErrNoCredentials = errors.New("no S3 credentials (set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or use ~/.aws/credentials)")

// DialS3 returns the store at an s3:// location. It does not connect:
// the first request does.
func DialS3(loc string, o S3Options) (*S3, error) {
	endpoint, bucket, prefix, secure, err := ParseS3(loc)
	if err != nil {
		return nil, err
	}
	creds, err := s3Credentials(o)
	if err != nil {
		return nil, err
	}
	if o.Region == "" {
		o.Region = os.Getenv("AWS_REGION")
	}
	if o.Timeout == 0 {
		o.Timeout = 30 * time.Second
	}
	if o.Transport == nil {
		o.Transport = s3Transport(o.Timeout)
	}
	client, err := minio.New(endpoint, &minio.Options{
		Creds:        creds,
		Secure:       secure,
		Region:       o.Region,
		Transport:    o.Transport,
		BucketLookup: minio.BucketLookupPath,
		MaxRetries:   3, // the mirror retries whole copies on top
	})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", loc, err)
	}
	return &S3{loc: loc, bucket: bucket, prefix: prefix, region: o.Region, transport: o.Transport, client: client}, nil
}

func s3Credentials(o S3Options) (*credentials.Credentials, error) {
	if o.AccessKey != "" || o.SecretKey != "" {
		return credentials.NewStaticV4(o.AccessKey, o.SecretKey, ""), nil
	}
	c := credentials.NewChainCredentials([]credentials.Provider{
		&credentials.EnvAWS{},
		&credentials.FileAWSCredentials{},
		&credentials.EnvMinio{},
	})
	v, err := c.Get()
	if err != nil || v.AccessKeyID == "" || v.SecretAccessKey == "" {
		return nil, ErrNoCredentials
	}
	return c, nil
}

func s3Transport(timeout time.Duration) http.RoundTripper {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.DialContext = (&net.Dialer{Timeout: timeout, KeepAlive: 30 * time.Second}).DialContext
	t.TLSHandshakeTimeout = timeout
	t.ResponseHeaderTimeout = timeout
	t.MaxIdleConnsPerHost = 16
	return t
}

// Close releases idle connections.
func (s *S3) Close() error {
	if t, ok := s.transport.(interface{ CloseIdleConnections() }); ok {
		t.CloseIdleConnections()
	}
	return nil
}

// Location returns the s3:// location.
func (s *S3) Location() string { return s.loc }

// MakeRoot creates the bucket if it does not exist yet.
func (s *S3) MakeRoot() error {
	ctx := context.Background()
	ok, err := s.client.BucketExists(ctx, s.bucket)
	if err != nil {
		return fmt.Errorf("%s: %w", s.loc, err)
	}
	if ok {
		return nil
	}
	if err := s.client.MakeBucket(ctx, s.bucket, minio.MakeBucketOptions{Region: s.region}); err != nil {
		return fmt.Errorf("%s: make bucket: %w", s.loc, err)
	}
	return nil
}

func (s *S3) key(name string) (string, error) {
	if err := CheckName(name); err != nil {
		return "", fmt.Errorf("%q: %w", name, err)
	}
	return s.prefix + name, nil
}

// notFound maps S3's "no such key" (and "no such bucket") to ErrNotFound
// and refused credentials to ErrAccessDenied.
func (s *S3) notFound(name string, err error) error {
	if err == nil {
		return nil
	}
	switch minio.ToErrorResponse(err).Code {
	case minio.NoSuchKey, "NotFound":
		return fmt.Errorf("%s: %w", name, ErrNotFound)
	case minio.NoSuchBucket:
		return fmt.Errorf("%s: bucket %s does not exist: %w", name, s.bucket, ErrNotFound)
	case "AccessDenied", "SignatureDoesNotMatch", "InvalidAccessKeyId", "InvalidSecretKey":
		return fmt.Errorf("%s: %w: %v", name, ErrAccessDenied, err)
	}
	if minio.ToErrorResponse(err).StatusCode >= 500 {
		return fmt.Errorf("%s: %w: %v", name, ErrUnavailable, err)
	}
	// net/http puts the method and URL first ("Head \"http://...\": dial
	// tcp ..."); the caller names the location, so the object is enough.
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	return WithName(name, err)
}

// ErrAccessDenied is returned when the server refuses the credentials.
var ErrAccessDenied = errors.New("the S3 server refused the credentials (check AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY)")

// Create starts an object, buffered in memory until Commit.
func (s *S3) Create(ctx context.Context) (Writer, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return &s3Writer{s: s, ctx: ctx}, nil
}

type s3Writer struct {
	s    *S3
	ctx  context.Context
	buf  bytes.Buffer
	done bool
}

func (w *s3Writer) Write(p []byte) (int, error) {
	if w.done {
		return 0, errors.New("write after commit or abort")
	}
	return w.buf.Write(p)
}

func (w *s3Writer) Commit(name string) error {
	if w.done {
		return errors.New("commit after commit or abort")
	}
	if err := w.s.Put(w.ctx, name, w.buf.Bytes()); err != nil {
		return err
	}
	w.done = true
	w.buf = bytes.Buffer{}
	return nil
}

// Put stores data under name in one PUT carrying its MD5, so the server
// refuses bytes damaged on the way. S3 makes an object visible only once
// it is complete.
func (s *S3) Put(ctx context.Context, name string, data []byte) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	key, err := s.key(name)
	if err != nil {
		return err
	}
	_, err = s.client.PutObject(ctx, s.bucket, key, bytes.NewReader(data), int64(len(data)),
		minio.PutObjectOptions{SendContentMd5: true, DisableMultipart: true, ContentType: "application/octet-stream"})
	if err != nil {
		return fmt.Errorf("put %w", s.notFound(name, err))
	}
	return nil
}

func (w *s3Writer) Abort() {
	w.done = true
	w.buf = bytes.Buffer{}
}

// Stat returns an object's size.
func (s *S3) Stat(ctx context.Context, name string) (int64, error) {
	key, err := s.key(name)
	if err != nil {
		return 0, err
	}
	info, err := s.client.StatObject(ctx, s.bucket, key, minio.StatObjectOptions{})
	if err != nil {
		return 0, s.notFound(name, err)
	}
	return info.Size, nil
}

// Open opens an object for range reads; each ReadAt is one ranged GET.
func (s *S3) Open(ctx context.Context, name string) (Object, error) {
	key, err := s.key(name)
	if err != nil {
		return nil, err
	}
	size, err := s.Stat(ctx, name)
	if err != nil {
		return nil, err
	}
	return &s3Object{s: s, ctx: ctx, key: key, size: size}, nil
}

type s3Object struct {
	s    *S3
	ctx  context.Context
	key  string
	size int64
}

func (o *s3Object) Size() int64  { return o.size }
func (o *s3Object) Close() error { return nil }

func (o *s3Object) ReadAt(p []byte, off int64) (int, error) {
	if off < 0 {
		return 0, errors.New("negative offset")
	}
	if off >= o.size {
		return 0, io.EOF
	}
	want := min(int64(len(p)), o.size-off)
	if want == 0 {
		return 0, nil
	}
	var opts minio.GetObjectOptions
	if err := opts.SetRange(off, off+want-1); err != nil {
		return 0, err
	}
	r, err := o.s.client.GetObject(o.ctx, o.s.bucket, o.key, opts)
	if err != nil {
		return 0, o.s.notFound(o.key, err)
	}
	defer r.Close()
	n, err := io.ReadFull(r, p[:want])
	if err != nil {
		return n, fmt.Errorf("read %w", o.s.notFound(o.key, err))
	}
	if int64(n) < int64(len(p)) {
		return n, io.EOF
	}
	return n, nil
}

// Stream reads a whole object in one GET.
func (s *S3) Stream(ctx context.Context, name string) (io.ReadCloser, error) {
	key, err := s.key(name)
	if err != nil {
		return nil, err
	}
	obj, err := s.client.GetObject(ctx, s.bucket, key, minio.GetObjectOptions{})
	if err != nil {
		return nil, s.notFound(name, err)
	}
	if _, err := obj.Stat(); err != nil { // the GET happens here
		obj.Close()
		return nil, s.notFound(name, err)
	}
	return obj, nil
}

// maxLoad bounds what Load allocates for one object on the server's word:
// packs are at most 32 MiB, and an index file of a million blobs is about
// 60 MiB.
const maxLoad = 1 << 30

// Load reads a whole object.
func (s *S3) Load(ctx context.Context, name string) ([]byte, error) {
	key, err := s.key(name)
	if err != nil {
		return nil, err
	}
	obj, err := s.client.GetObject(ctx, s.bucket, key, minio.GetObjectOptions{})
	if err != nil {
		return nil, s.notFound(name, err)
	}
	defer obj.Close()
	// Stat answers from the GET's own headers: the buffer is allocated
	// once, at its final size.
	info, err := obj.Stat()
	if err != nil {
		return nil, s.notFound(name, err)
	}
	if info.Size < 0 || info.Size > maxLoad {
		return nil, fmt.Errorf("%s: the server says it is %d bytes, more than any object lifeboat writes", name, info.Size)
	}
	b := make([]byte, info.Size)
	if _, err := io.ReadFull(obj, b); err != nil {
		return nil, fmt.Errorf("read %w", s.notFound(name, err))
	}
	return b, nil
}

// Remove deletes an object. S3 deletes missing keys without complaint,
// so the object is looked up first.
func (s *S3) Remove(ctx context.Context, name string) error {
	key, err := s.key(name)
	if err != nil {
		return err
	}
	if _, err := s.Stat(ctx, name); err != nil {
		return err
	}
	if err := s.client.RemoveObject(ctx, s.bucket, key, minio.RemoveObjectOptions{}); err != nil {
		return s.notFound(name, err)
	}
	return nil
}

// List lists every object under dir.
func (s *S3) List(ctx context.Context, dir string, fn func(string, int64) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	key, err := s.key(dir)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel() // stops the listing goroutine when fn ends early
	for info := range s.client.ListObjects(ctx, s.bucket, minio.ListObjectsOptions{Prefix: key + "/", Recursive: true}) {
		if info.Err != nil {
			if err := ctx.Err(); err != nil {
				return err
			}
			if minio.ToErrorResponse(info.Err).Code == minio.NoSuchBucket {
				return nil // like a missing folder: nothing to list
			}
			return fmt.Errorf("list %w", s.notFound(dir, info.Err))
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		name := strings.TrimPrefix(info.Key, s.prefix)
		if strings.HasSuffix(name, "/") || path.Base(name) == "" {
			continue
		}
		if err := fn(name, info.Size); err != nil {
			return err
		}
	}
	return ctx.Err()
}
