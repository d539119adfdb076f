package fakeadb

import (
	"reflect"
	"strings"
	"testing"
)

const rawContacts = "content://com.android.contacts/raw_contacts"

func contacts() Provider {
	return Provider{rawContacts: {
		Columns: []string{"_id", "display_name", "note", "photo", "starred"},
		Rows: [][]any{
			{1, "Ana, María = \"Ana\"", "line one\nline two", []byte{1, 2}, nil},
			{2, "Юлия 李", "", nil, 1},
		},
	}}
}

func TestContentQuery(t *testing.T) {
	p := Start(t, Options{Content: contacts()})
	for _, c := range []struct {
		name, cmd, stdout, stderr string
	}{
		{"all columns", "content query --uri " + rawContacts,
			"Row: 0 _id=1, display_name=Ana, María = \"Ana\", note=line one\nline two, photo=BLOB, starred=NULL\n" +
				"Row: 1 _id=2, display_name=Юлия 李, note=, photo=NULL, starred=1\n", ""},
		{"projection in its order", "content query --uri " + rawContacts + " --projection starred:_id",
			"Row: 0 starred=NULL, _id=1\nRow: 1 starred=1, _id=2\n", ""},
		{"invalid column", "content query --uri " + rawContacts + " --projection _id:nope",
			"", "Error while accessing provider:com.android.contacts\njava.lang.IllegalArgumentException: Invalid column nope\n"},
		{"where and sort", "content query --uri " + rawContacts + " --projection _id --where \"_id IN (1, 2) AND starred=1\" --sort '_id DESC'",
			"Row: 0 _id=2\n", ""},
		{"sort descending", "content query --uri " + rawContacts + " --projection _id --sort '_id DESC'",
			"Row: 0 _id=2\nRow: 1 _id=1\n", ""},
		{"where with a quoted string", "content query --uri " + rawContacts + " --projection _id --where \"display_name='Юлия 李'\"",
			"Row: 0 _id=2\n", ""},
		{"where nothing matches", "content query --uri " + rawContacts + " --where _id=9",
			"No result found.\n", ""},
		{"where the fake does not understand", "content query --uri " + rawContacts + " --where \"_id>1\"",
			"", "Error while accessing provider:com.android.contacts\nfakeadb understands no --where like \"_id>1\"\n"},
		{"unknown uri", "content query --uri content://com.android.contacts/nope",
			"", "Error while accessing provider:com.android.contacts\njava.lang.IllegalArgumentException: Unknown URI content://com.android.contacts/nope\n"},
		{"unknown provider", "content query --uri content://nowhere/x",
			"", "Error while accessing provider:nowhere\njava.lang.IllegalStateException: Could not find provider: nowhere\n"},
		{"usage error", "content query --projection _id",
			"usage: adb shell content [subcommand] [options]\n\n[ERROR] Content provider URI not specified. Did you specify --uri argument?\n", ""},
		{"bad bind type", "content insert --uri " + rawContacts + " --bind a:x:1",
			"usage: adb shell content [subcommand] [options]\n\n[ERROR] Unsupported type: x\n", ""},
		{"upper-case S is not a type (Content.java: TYPE_STRING.equals)", "content insert --uri " + rawContacts + " --bind a:S:1",
			"usage: adb shell content [subcommand] [options]\n\n[ERROR] Unsupported type: S\n", ""},
		{"an int that Integer.parseInt refuses", "content insert --uri " + rawContacts + " --bind starred:i:x",
			"usage: adb shell content [subcommand] [options]\n\n[ERROR] For input string: \"x\"\n", ""},
		{"a bind without a second colon", "content insert --uri " + rawContacts + " --bind starred:i",
			"usage: adb shell content [subcommand] [options]\n\n[ERROR] Binding not well formed: starred:i\n", ""},
		{"--bind with nothing after it", "content insert --uri " + rawContacts + " --bind",
			"usage: adb shell content [subcommand] [options]\n\n[ERROR] Binding not well formed: null\n", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			o, e, code := run(t, p, "shell", c.cmd)
			if o != c.stdout || e != c.stderr || code != 0 {
				t.Errorf("got stdout %q, stderr %q, code %d\nwant stdout %q, stderr %q, code 0", o, e, code, c.stdout, c.stderr)
			}
		})
	}

	t.Run("insert is recorded and queried", func(t *testing.T) {
		cmd := "content insert --uri " + rawContacts + " --bind 'display_name:s:Zoë, the \"new\" one' --bind starred:i:1 --bind note:n:"
		if o, e, code := run(t, p, "shell", cmd); o != "" || e != "" || code != 0 {
			t.Fatalf("insert: stdout %q, stderr %q, code %d", o, e, code)
		}
		want := []Insert{{URI: rawContacts, Binds: []Bind{
			{"display_name", "s", `Zoë, the "new" one`}, {"starred", "i", "1"}, {"note", "n", ""}}}}
		if got := p.Inserts(); !reflect.DeepEqual(got, want) {
			t.Errorf("inserts %+v, want %+v", got, want)
		}
		o, _, _ := run(t, p, "shell", "content query --uri "+rawContacts+" --projection _id:display_name:note")
		if !strings.HasSuffix(o, "Row: 2 _id=3, display_name=Zoë, the \"new\" one, note=NULL\n") {
			t.Errorf("query after insert:\n%s", o)
		}
	})

	t.Run("bind values typed as Content.java types them", func(t *testing.T) {
		cmd := "content insert --uri " + rawContacts + " --bind _id:I:+12 --bind display_name:s:a:b:c --bind starred:b:TRUE --bind note:L:007"
		if o, e, code := run(t, p, "shell", cmd); o != "" || e != "" || code != 0 {
			t.Fatalf("insert: stdout %q, stderr %q, code %d", o, e, code)
		}
		o, _, _ := run(t, p, "shell", "content query --uri "+rawContacts+" --projection _id:display_name:starred:note --where _id=12")
		if o != "Row: 0 _id=12, display_name=a:b:c, starred=1, note=7\n" {
			t.Errorf("query after insert: %q", o)
		}
	})
}

func TestShellV1LosesTheExitCode(t *testing.T) {
	p := Start(t, Options{Features: []string{"cmd"}, Commands: map[string]Command{
		"both": func(p *Phone, e *Exec) int {
			e.Stdout.Write([]byte("out\n"))
			e.Stderr.Write([]byte("err\n"))
			return 3
		},
	}})
	if o, e, code := run(t, p, "shell", "both"); o != "out\nerr\n" || e != "" || code != 0 {
		t.Errorf("shell v1: stdout %q, stderr %q, code %d; want both on stdout and code 0", o, e, code)
	}
}

func TestSplitWords(t *testing.T) {
	for _, c := range []struct {
		in   string
		want []string
	}{
		{"exit 3", []string{"exit", "3"}},
		{"  a\t b\n", []string{"a", "b"}},
		{`--bind 'a:s:x, y' --where "n=\"q\""`, []string{"--bind", "a:s:x, y", "--where", `n="q"`}},
		{`a\ b '' c`, []string{"a b", "", "c"}},
		{`x"y"'z'`, []string{"xyz"}},
	} {
		got, err := splitWords(c.in)
		if err != nil || !reflect.DeepEqual(got, c.want) {
			t.Errorf("splitWords(%q) = %q, %v; want %q", c.in, got, err, c.want)
		}
	}
	if _, err := splitWords("echo 'open"); err == nil {
		t.Error("an unterminated quote is not an error")
	}
}

// FuzzSplitWords: never a panic, and words quoted back the way a client
// quotes them split into the same words.
func FuzzSplitWords(f *testing.F) {
	f.Add(`content query --uri 'a b' --where "x=\"1\""`)
	f.Add(`a\ b '' c`)
	f.Fuzz(func(t *testing.T, s string) {
		words, err := splitWords(s)
		if err != nil {
			return
		}
		var quoted []string
		for _, w := range words {
			quoted = append(quoted, "'"+strings.ReplaceAll(w, "'", `'\''`)+"'")
		}
		again, err := splitWords(strings.Join(quoted, " "))
		if err != nil || !reflect.DeepEqual(again, words) {
			t.Fatalf("%q: words %q, quoted and split again %q, %v", s, words, again, err)
		}
	})
}
