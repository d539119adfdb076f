package content

import (
	"os/exec"
	"reflect"
	"strings"
	"testing"
)

func TestQueryArgs(t *testing.T) {
	q := Query{URI: "content://com.android.contacts/data", Projection: []string{"_id", "data1"},
		Where: " mimetype='vnd.android.cursor.item/phone_v2' ", Sort: "raw_contact_id"}
	got, err := q.Args()
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"content", "query", "--uri", "content://com.android.contacts/data", "--projection", "_id:data1",
		"--where", "mimetype='vnd.android.cursor.item/phone_v2'", "--sort", "raw_contact_id"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %q", got)
	}
	got, err = Query{URI: "content://x/y", Projection: []string{"a"}}.Args()
	if err != nil || len(got) != 6 {
		t.Fatalf("no where/sort: %q %v", got, err)
	}
}

func TestQueryRefuses(t *testing.T) {
	for name, q := range map[string]Query{
		"no scheme":        {URI: "com.android.contacts/data", Projection: []string{"a"}},
		"bare scheme":      {URI: "content://", Projection: []string{"a"}},
		"no projection":    {URI: "content://x/y"},
		"colon in column":  {URI: "content://x/y", Projection: []string{"a:b"}},
		"where like flag":  {URI: "content://x/y", Projection: []string{"a"}, Where: "--sort x"},
		"nul in where":     {URI: "content://x/y", Projection: []string{"a"}, Where: "a=\x00"},
		"nul in uri":       {URI: "content://x/\x00", Projection: []string{"a"}},
		"sort like a flag": {URI: "content://x/y", Projection: []string{"a"}, Sort: "--x"},
	} {
		if _, err := q.Command(); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

// TestCommandThroughShell runs the quoted command line through a real
// POSIX shell and checks that every argument arrives byte for byte.
func TestCommandThroughShell(t *testing.T) {
	sh, err := exec.LookPath("sh")
	if err != nil {
		t.Skip("no sh")
	}
	q := Query{URI: "content://com.android.contacts/data?x=1&y=$HOME",
		Projection: []string{"_id", "data1"},
		Where:      "data1 LIKE '%O''Brien%' AND data2 = \"x\" OR `id` > $(echo no); *\n\\ !",
		Sort:       "raw_contact_id ASC"}
	line, err := q.Command()
	if err != nil {
		t.Fatal(err)
	}
	// Replace the command with a printer of its arguments.
	line = strings.Replace(line, "'content'", `printf '%s\0'`, 1)
	out, err := exec.Command(sh, "-c", line).Output()
	if err != nil {
		t.Fatal(err)
	}
	args, _ := q.Args()
	got := strings.Split(strings.TrimSuffix(string(out), "\x00"), "\x00")
	if !reflect.DeepEqual(got, args[1:]) {
		t.Fatalf("shell gave %q\nwant %q", got, args[1:])
	}
}
