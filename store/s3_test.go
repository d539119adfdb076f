package store_test

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/lifeboat-backup/lifeboat/internal/s3test"
	"github.com/lifeboat-backup/lifeboat/store"
	"github.com/lifeboat-backup/lifeboat/store/storetest"
)

// TestS3Conformance runs the store suite against a real S3 server
// (versitygw), each subtest in a bucket of its own under a prefix.
func TestS3Conformance(t *testing.T) {
	srv := s3test.Start(t)
	var n atomic.Int32
	storetest.Run(t, func(t *testing.T) store.Store {
		loc := srv.Location(fmt.Sprintf("conf-%02d", n.Add(1)), "backups/phone")
		s, err := store.Open(t.Context(), loc)
		if err != nil {
			t.Fatal(err)
		}
		return s
	})
}

// TestS3NoPrefix: a repository at the top of a bucket, which Run's
// MakeRoot creates.
func TestS3NoPrefix(t *testing.T) {
	srv := s3test.Start(t)
	var n atomic.Int32
	storetest.Run(t, func(t *testing.T) store.Store {
		s, err := store.DialS3(srv.Location(fmt.Sprintf("top-%02d", n.Add(1)), ""), store.S3Options{})
		if err != nil {
			t.Fatal(err)
		}
		return s
	})
}

// corruptPuts flips a byte in the body of every PUT after it was signed
// and its MD5 taken, as a bad network card or proxy would.
type corruptPuts struct{ inner http.RoundTripper }

func (c corruptPuts) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Method == http.MethodPut && req.Body != nil && req.ContentLength > 0 {
		b, err := io.ReadAll(req.Body)
		req.Body.Close()
		if err != nil {
			return nil, err
		}
		b[len(b)/2] ^= 0x20
		req.Body = io.NopCloser(bytes.NewReader(b))
		req.GetBody = nil
	}
	return c.inner.RoundTrip(req)
}

// TestS3RefusesDamagedUpload: bytes damaged between lifeboat and the
// server do not match the hash sent with them; the server refuses them
// and nothing is stored.
func TestS3RefusesDamagedUpload(t *testing.T) {
	srv := s3test.Start(t)
	good, err := store.DialS3(srv.Location("damage", ""), store.S3Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := store.MakeRoot(good); err != nil {
		t.Fatal(err)
	}
	bad, err := store.DialS3(srv.Location("damage", ""), store.S3Options{Transport: corruptPuts{http.DefaultTransport}})
	if err != nil {
		t.Fatal(err)
	}
	err = store.Save(t.Context(), bad, "data/ab/x", storetest.Data(1, 4000))
	if err == nil {
		t.Fatal("the server accepted a damaged upload")
	}
	t.Logf("refused: %v", err)
	if _, err := good.Stat(t.Context(), "data/ab/x"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("after a refused upload, Stat: %v; want not found", err)
	}
}

// serverErrors answers every request with HTTP 501 once fail is set, as
// a failing S3 server or proxy would (501: minio-go does not retry it).
type serverErrors struct {
	inner http.RoundTripper
	fail  *atomic.Bool
}

func (s serverErrors) RoundTrip(req *http.Request) (*http.Response, error) {
	if !s.fail.Load() {
		return s.inner.RoundTrip(req)
	}
	body := `<?xml version="1.0" encoding="UTF-8"?><Error><Code>NotImplemented</Code><Message>broken</Message></Error>`
	return &http.Response{StatusCode: http.StatusNotImplemented, Status: "501 Not Implemented", Proto: "HTTP/1.1",
		ProtoMajor: 1, ProtoMinor: 1, Header: http.Header{"Content-Type": {"application/xml"}},
		Body: io.NopCloser(strings.NewReader(body)), ContentLength: int64(len(body)), Request: req}, nil
}

// TestS3ServerErrorIsUnavailable: a server error while reading an object
// is ErrUnavailable, which restore and check do not take for damage.
func TestS3ServerErrorIsUnavailable(t *testing.T) {
	srv := s3test.Start(t)
	var fail atomic.Bool
	s, err := store.DialS3(srv.Location("fivexx", ""), store.S3Options{Transport: serverErrors{http.DefaultTransport, &fail}})
	if err != nil {
		t.Fatal(err)
	}
	if err := store.MakeRoot(s); err != nil {
		t.Fatal(err)
	}
	if err := store.Save(t.Context(), s, "data/ab/x", storetest.Data(1, 4000)); err != nil {
		t.Fatal(err)
	}
	o, err := s.Open(t.Context(), "data/ab/x")
	if err != nil {
		t.Fatal(err)
	}
	fail.Store(true)
	if _, err := o.ReadAt(make([]byte, 100), 0); !errors.Is(err, store.ErrUnavailable) {
		t.Errorf("read with the server failing: %v, want ErrUnavailable", err)
	}
	if _, err := s.Open(t.Context(), "data/ab/x"); !errors.Is(err, store.ErrUnavailable) {
		t.Errorf("open with the server failing: %v, want ErrUnavailable", err)
	}
}

// TestS3Down: a stopped server gives an error, not a hang, and the store
// works again once the server is back.
func TestS3Down(t *testing.T) {
	srv := s3test.Start(t)
	s, err := store.Open(t.Context(), srv.Location("down", "p"))
	if err != nil {
		t.Fatal(err)
	}
	if err := store.MakeRoot(s); err != nil {
		t.Fatal(err)
	}
	srv.Stop()
	if err := store.Save(t.Context(), s, "index/a", []byte("a")); err == nil {
		t.Fatal("Save to a stopped server succeeded")
	}
	// The error names the object, not net/http's method and URL (which
	// repeat the location the caller puts in front).
	_, err = s.Stat(t.Context(), "config")
	if err == nil || strings.Contains(err.Error(), "http://") || !strings.HasPrefix(err.Error(), "config: ") {
		t.Errorf("Stat on a stopped server: %v, want 'config: ...' without the URL", err)
	}
	srv.Restart(t)
	if err := store.Save(t.Context(), s, "index/a", []byte("a")); err != nil {
		t.Fatalf("Save after restart: %v", err)
	}
}

func TestParseS3(t *testing.T) {
	for _, tc := range []struct {
		loc                      string
		endpoint, bucket, prefix string
		secure                   bool
		bad                      bool
	}{
		{loc: "s3://s3.example.com/bkt", endpoint: "s3.example.com", bucket: "bkt", secure: true},
		{loc: "s3://s3.example.com:9000/bkt/a/b/", endpoint: "s3.example.com:9000", bucket: "bkt", prefix: "a/b/", secure: true},
		{loc: "s3+http://127.0.0.1:9000/bkt/lifeboat", endpoint: "127.0.0.1:9000", bucket: "bkt", prefix: "lifeboat/"},
		{loc: "s3://host", bad: true},
		{loc: "s3:///bkt", bad: true},
		{loc: "s3://user@host/bkt", bad: true},
		{loc: "s3://host/bkt/../x", bad: true},
		{loc: "s3://host/bkt/a//b", bad: true},
		{loc: "s3+https://host/bkt", bad: true},
		{loc: "s3://host/bkt?X-Amz-Signature=abc", bad: true},
		{loc: "s3://host/ck", bad: true},     // too short for S3
		{loc: "s3://host/-bkt/x", bad: true}, // not a bucket name
	} {
		endpoint, bucket, prefix, secure, err := store.ParseS3(tc.loc)
		if tc.bad {
			if err == nil {
				t.Errorf("ParseS3(%q) accepted", tc.loc)
			}
			continue
		}
		if err != nil || endpoint != tc.endpoint || bucket != tc.bucket || prefix != tc.prefix || secure != tc.secure {
			t.Errorf("ParseS3(%q) = %q %q %q %v %v", tc.loc, endpoint, bucket, prefix, secure, err)
		}
	}
}

func TestS3NoCredentials(t *testing.T) {
	for _, k := range []string{"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "MINIO_ROOT_USER", "MINIO_ROOT_PASSWORD", "MINIO_ACCESS_KEY", "MINIO_SECRET_KEY"} {
		t.Setenv(k, "")
	}
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", t.TempDir()+"/none")
	_, err := store.DialS3("s3://127.0.0.1:1/bkt", store.S3Options{})
	if !errors.Is(err, store.ErrNoCredentials) {
		t.Fatalf("DialS3 without credentials: %v", err)
	}
}

// TestS3ListMissingBucket: a bucket that does not exist lists nothing, as
// a missing folder does, so that init can check the location is empty
// before it makes the bucket.
func TestS3ListMissingBucket(t *testing.T) {
	srv := s3test.Start(t)
	s, err := store.DialS3(srv.Location("not-yet", "p"), store.S3Options{})
	if err != nil {
		t.Fatal(err)
	}
	err = s.List(t.Context(), "keys", func(name string, _ int64) error {
		t.Errorf("listed %s", name)
		return nil
	})
	if err != nil {
		t.Fatalf("List in a missing bucket: %v", err)
	}
	if _, err := s.Stat(t.Context(), "config"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Stat in a missing bucket: %v", err)
	}
}
