package media

import (
	"strings"
	"testing"
	"time"
)

// TestParsePhotoDetails: the columns are found by name wherever they are;
// Apple's dates read as UTC; a row with a bad date, a short row, a name
// listed twice are handled; a file that is not one is refused.
func TestParsePhotoDetails(t *testing.T) {
	csvText := "\ufeffimgName,fileChecksum,favorite,hidden,deleted,originalCreationDate,viewCount,importDate\n" +
		`IMG_0001.HEIC,AaBb+/c=,no,no,no,"Monday October 4,2021 8:15 PM GMT",3,"Tuesday October 5,2021 9:00 AM GMT"` + "\n" +
		`IMG_0002.MOV,x,yes,no,no,"Saturday January 15,2022 7:31 AM GMT",0,` + "\r\n" +
		`IMG_0003.JPG,x,no,no,no,"not a date",0,` + "\n" +
		`IMG_0004.JPG,x` + "\n" +
		"\n" +
		`IMG_0001.HEIC,x,no,no,no,"Sunday August 13,2023 3:09 PM GMT",0,` + "\n" +
		`"broken,quote` + "\n" +
		`IMG_0005.PNG,x,no,no,yes,"Sunday August 13, 2023 12:09 AM GMT",0,` + "\n"
	got, err := ParsePhotoDetails(strings.NewReader(csvText))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]time.Time{
		"IMG_0001.HEIC": time.Date(2021, 10, 4, 20, 15, 0, 0, time.UTC),
		"IMG_0002.MOV":  time.Date(2022, 1, 15, 7, 31, 0, 0, time.UTC),
		"IMG_0005.PNG":  time.Date(2023, 8, 13, 0, 9, 0, 0, time.UTC),
	}
	if len(got) != len(want) {
		t.Errorf("got %v, want %v", got, want)
	}
	for name, w := range want {
		if !got[name].Equal(w) {
			t.Errorf("%s: %v, want %v", name, got[name], w)
		}
	}
	for name, text := range map[string]string{
		"no header":   "IMG_0001.HEIC,x\n",
		"empty":       "",
		"long line":   "imgName,originalCreationDate\n" + strings.Repeat("a", 9000) + ",x\n",
		"only a name": "imgName,fileChecksum\nIMG_1.JPG,x\n",
	} {
		if m, err := ParsePhotoDetails(strings.NewReader(text)); err == nil {
			t.Errorf("%s: %v, want an error", name, m)
		}
	}
}

func TestParseICloudDate(t *testing.T) {
	for in, want := range map[string]time.Time{
		"Monday October 4,2021 8:15 PM GMT":    time.Date(2021, 10, 4, 20, 15, 0, 0, time.UTC),
		"October 4,2021 12:05 AM UTC":          time.Date(2021, 10, 4, 0, 5, 0, 0, time.UTC),
		"Friday December 31, 1999 11:59:58 PM": time.Date(1999, 12, 31, 23, 59, 58, 0, time.UTC),
		"2021-10-04T22:15:00+02:00":            time.Date(2021, 10, 4, 20, 15, 0, 0, time.UTC),
		"Monday  October 4,2021  20:15 GMT":    time.Date(2021, 10, 4, 20, 15, 0, 0, time.UTC),
	} {
		if got, ok := ParseICloudDate(in); !ok || !got.Equal(want) {
			t.Errorf("%q: %v %v, want %v", in, got, ok, want)
		}
	}
	for _, in := range []string{"", "Monday", "October 4,2021 8:15 PM PDT", "Monday October 32,2021 8:15 PM GMT"} {
		if got, ok := ParseICloudDate(in); ok {
			t.Errorf("%q: %v, want false", in, got)
		}
	}
}

func TestPhotoDetailsNames(t *testing.T) {
	for name, want := range map[string]bool{"Photo Details.csv": true, "Photo Details-1.csv": true,
		"photo details-12.CSV": true, "Photo Details.csv.json": false, "Shared Library Details.csv": false, "Photo Details-.csv": false} {
		if IsPhotoDetails(name) != want {
			t.Errorf("IsPhotoDetails(%q) = %v", name, !want)
		}
	}
	if got := PhotoDetailsDirs("iCloud Photos Part 1 of 2/Photos"); len(got) != 1 {
		t.Errorf("PhotoDetailsDirs of a Photos folder: %v", got)
	}
	if got := PhotoDetailsDirs("Part 1/Memories"); len(got) != 2 || got[1] != "Part 1/Photos" {
		t.Errorf("PhotoDetailsDirs(Part 1/Memories) = %v", got)
	}
}
