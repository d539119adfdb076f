package media

import (
	"reflect"
	"strings"
	"testing"

	"golang.org/x/text/unicode/norm"
)

// TestSidecars pairs real-world Takeout folder listings. want lists every
// pairing; media files absent from want must stay unpaired.
func TestSidecars(t *testing.T) {
	tests := []struct {
		name  string
		names []string
		want  map[string]string
	}{
		{
			// TheLastGimbus/GooglePhotosTakeoutHelper test/gpth_test.dart.
			name: "gpth test set",
			names: []string{
				"image-edited.jpg", "image-edited.jpg.json",
				"Urlaub in Knaufspesch in der Schneifel (38).JPG",
				"Urlaub in Knaufspesch in der Schneifel (38).JP.json",
				"Screenshot_2022-10-28-09-31-43-118_com.snapchat.jpg",
				"Screenshot_2022-10-28-09-31-43-118_com.snapcha.json",
				"simple_file_20200101-edited.jpg", "simple_file_20200101-edited(1).jpg",
				"simple_file_20200101.jpg.json",
			},
			want: map[string]string{
				"image-edited.jpg": "image-edited.jpg.json",
				"Urlaub in Knaufspesch in der Schneifel (38).JPG":     "Urlaub in Knaufspesch in der Schneifel (38).JP.json",
				"Screenshot_2022-10-28-09-31-43-118_com.snapchat.jpg": "Screenshot_2022-10-28-09-31-43-118_com.snapcha.json",
				"simple_file_20200101-edited.jpg":                     "simple_file_20200101.jpg.json",
				"simple_file_20200101-edited(1).jpg":                  "simple_file_20200101.jpg.json",
			},
		},
		{
			// gpth issue #8: a user's own "(N)" inside a clipped name.
			name: "gpth issue 8 folder",
			names: []string{
				"Metadaten.json",
				"Urlaub in Knaufspesch in der Schneifel (38).JP.json", "Urlaub in Knaufspesch in der Schneifel (38).JPG",
				"Urlaub in Knaufspesch in der Schneifel (39).JP.json", "Urlaub in Knaufspesch in der Schneifel (39).JPG",
				"Urlaub in Knaufspesch in der Schneifel (40).JP.json", "Urlaub in Knaufspesch in der Schneifel (40).JPG",
			},
			want: map[string]string{
				"Urlaub in Knaufspesch in der Schneifel (38).JPG": "Urlaub in Knaufspesch in der Schneifel (38).JP.json",
				"Urlaub in Knaufspesch in der Schneifel (39).JPG": "Urlaub in Knaufspesch in der Schneifel (39).JP.json",
				"Urlaub in Knaufspesch in der Schneifel (40).JPG": "Urlaub in Knaufspesch in der Schneifel (40).JP.json",
			},
		},
		{
			// simulot/immich-go adapters/googlePhotos/matcher_test.go.
			name: "immich-go matcher cases",
			names: []string{
				"PXL_20211013_220651983.jpg", "PXL_20211013_220651983.jpg.json", "PXL_20211013_220651958.jpg",
				"PXL_20220405_090123740.PORTRAIT.jpg.json", "PXL_20220405_090123740.PORTRAIT-modifié.jpg",
				"PXL_20220405_090123741.PORTRAIT-modifié.jpg",
				"DSC_0101.JPG(1).json", "DSC_0101(1).JPG",
				"DSC_0102.JPG(2).json", "DSC_0102(1).JPG",
				"DSC_0103.JPG(1).json", "DSC_0103.JPG",
				"DSC_0104.JPG.json", "DSC_0104(1).JPG",
				"IMG_2710.HEIC(1).json", "IMG_2710(1).HEIC",
				"PXL_20231118_035751175.MP.jpg.json", "PXL_20231118_035751175.MP.jpg",
				"PXL_20230809_203449253.LONG_EXPOSURE-02.ORIGIN.json", "PXL_20230809_203449253.LONG_EXPOSURE-02.ORIGINA.jpg",
				"05yqt21kruxwwlhhgrwrdyb6chhwszi9bqmzu16w0 2.jp.json", "05yqt21kruxwwlhhgrwrdyb6chhwszi9bqmzu16w0 2.jpg",
				"Backyard_ceremony_wedding_photography_xxxxxxx_(494).json",
				"Backyard_ceremony_wedding_photography_xxxxxxx_m(494).jpg",
				"Backyard_ceremony_wedding_photography_xxxxxxx_m(185).jpg",
				"PXL_20210102_221126856.MP~2.jpg.json", "PXL_20210102_221126856.MP~2.jpg",
				"13039_327707840323_537645323_9470255_27214_n.j(1).json",
				"13039_327707840323_537645323_9470255_27214_n(1).jpg",
				"original_1d4caa6f-16c6-4c3d-901b-9387de10e528_.json",
				"original_1d4caa6f-16c6-4c3d-901b-9387de10e528_P.jpg",
				"original_1d4caa6f-16c6-4c3d-901b-9387de10e528_P(1).jpg",
			},
			want: map[string]string{
				"PXL_20211013_220651983.jpg":                               "PXL_20211013_220651983.jpg.json",
				"PXL_20220405_090123740.PORTRAIT-modifié.jpg":              "PXL_20220405_090123740.PORTRAIT.jpg.json",
				"DSC_0101(1).JPG":                                          "DSC_0101.JPG(1).json",
				"DSC_0104(1).JPG":                                          "",
				"IMG_2710(1).HEIC":                                         "IMG_2710.HEIC(1).json",
				"PXL_20231118_035751175.MP.jpg":                            "PXL_20231118_035751175.MP.jpg.json",
				"PXL_20230809_203449253.LONG_EXPOSURE-02.ORIGINA.jpg":      "PXL_20230809_203449253.LONG_EXPOSURE-02.ORIGIN.json",
				"05yqt21kruxwwlhhgrwrdyb6chhwszi9bqmzu16w0 2.jpg":          "05yqt21kruxwwlhhgrwrdyb6chhwszi9bqmzu16w0 2.jp.json",
				"Backyard_ceremony_wedding_photography_xxxxxxx_m(494).jpg": "Backyard_ceremony_wedding_photography_xxxxxxx_(494).json",
				"PXL_20210102_221126856.MP~2.jpg":                          "PXL_20210102_221126856.MP~2.jpg.json",
				"13039_327707840323_537645323_9470255_27214_n(1).jpg":      "13039_327707840323_537645323_9470255_27214_n.j(1).json",
				// A clipped "(N)" duplicate without its own sidecar.
				"original_1d4caa6f-16c6-4c3d-901b-9387de10e528_P.jpg":    "original_1d4caa6f-16c6-4c3d-901b-9387de10e528_.json",
				"original_1d4caa6f-16c6-4c3d-901b-9387de10e528_P(1).jpg": "original_1d4caa6f-16c6-4c3d-901b-9387de10e528_.json",
			},
		},
		{
			// immich-go matcher_test.go and issue #35: emoji count as two
			// UTF-16 units each; the sidecar keeps 46 units (23 emoji).
			name: "emoji clipped in UTF-16 units",
			names: []string{
				"😀😃😄😁😆😅😂🤣🥲☺️😊😇🙂🙃😉😌😍🥰😘😗😙😚😋😛.jpg",
				"😀😃😄😁😆😅😂🤣🥲☺️😊😇🙂🙃😉😌😍🥰😘😗😙😚😋.json",
			},
			want: map[string]string{
				"😀😃😄😁😆😅😂🤣🥲☺️😊😇🙂🙃😉😌😍🥰😘😗😙😚😋😛.jpg": "😀😃😄😁😆😅😂🤣🥲☺️😊😇🙂🙃😉😌😍🥰😘😗😙😚😋.json",
			},
		},
		{
			// ente PR #4956 and web/.../metadata-json.ts: the new suffix,
			// "(N)" behind it, kept in place, and clipped.
			name: "ente supplemental-metadata rules",
			names: []string{
				"IMG_1234.jpg", "IMG_1234.jpg.supplemental-metadata.json",
				"IMG_1234(1).jpg", "IMG_1234.jpg.supplemental-metadata(1).json",
				"skytree (2).jpg", "skytree (2).jpg.supplemental-metadata.json",
				"very_long_file_name_for_clipping_rules.jpg", "very_long_file_name_for_clipping_rules.jpg.supp.json",
				"filename_that_is_45_characters_long_xxxxx.jpg", "filename_that_is_45_characters_long_xxxxx.jpg..json",
			},
			want: map[string]string{
				"IMG_1234.jpg":    "IMG_1234.jpg.supplemental-metadata.json",
				"IMG_1234(1).jpg": "IMG_1234.jpg.supplemental-metadata(1).json",
				"skytree (2).jpg": "skytree (2).jpg.supplemental-metadata.json",
				"very_long_file_name_for_clipping_rules.jpg":    "very_long_file_name_for_clipping_rules.jpg.supp.json",
				"filename_that_is_45_characters_long_xxxxx.jpg": "filename_that_is_45_characters_long_xxxxx.jpg..json",
			},
		},
		{
			// pulsejet/memories issue #1559 (a 2025 Takeout listing) and
			// Xentraxx/GooglePhotosTakeoutHelper_Neo issue #123 tests.
			name: "clipped suffixes in the wild",
			names: []string{
				"Screenshot_2017-07-05-10-05-26.png", "Screenshot_2017-07-05-10-05-26.png.supplementa.json",
				"Screenshot_20241227_105539_Edge.jpg", "Screenshot_20241227_105539_Edge.jpg.supplement.json",
				"Screenshot_20220207_102421_com.snapchat.android.jpg", "Screenshot_20220207_102421_com.snapchat.androi.json",
				"D7157814-D2D5-4A62-AFCE-9CF465CB7D66.jpeg", "D7157814-D2D5-4A62-AFCE-9CF465CB7D66.jpeg.supp.json",
				"0bf4bdc0-0194-43e1-a85b-8823858343c7(1).jpg", "0bf4bdc0-0194-43e1-a85b-8823858343c7.jpg.suppl(1).json",
				"FullSizeRender(1)(1).HEIC", "FullSizeRender(1)(1).HEIC.supplemental-metadata.json",
			},
			want: map[string]string{
				"Screenshot_2017-07-05-10-05-26.png":                  "Screenshot_2017-07-05-10-05-26.png.supplementa.json",
				"Screenshot_20241227_105539_Edge.jpg":                 "Screenshot_20241227_105539_Edge.jpg.supplement.json",
				"Screenshot_20220207_102421_com.snapchat.android.jpg": "Screenshot_20220207_102421_com.snapchat.androi.json",
				"D7157814-D2D5-4A62-AFCE-9CF465CB7D66.jpeg":           "D7157814-D2D5-4A62-AFCE-9CF465CB7D66.jpeg.supp.json",
				"0bf4bdc0-0194-43e1-a85b-8823858343c7(1).jpg":         "0bf4bdc0-0194-43e1-a85b-8823858343c7.jpg.suppl(1).json",
				"FullSizeRender(1)(1).HEIC":                           "FullSizeRender(1)(1).HEIC.supplemental-metadata.json",
			},
		},
		{
			// ente PR #12691: 2026 exports that do not clip.
			name: "unclipped 2026 export",
			names: []string{
				"IMG_20260704_181512345_HDR_PORTRAIT_night.jpg",
				"IMG_20260704_181512345_HDR_PORTRAIT_night.jpg.supplemental-metadata.json",
				"IMG_20260704_181512345_HDR_PORTRAIT_night(1).jpg",
				"IMG_20260704_181512345_HDR_PORTRAIT_night.jpg.supplemental-metadata(1).json",
			},
			want: map[string]string{
				"IMG_20260704_181512345_HDR_PORTRAIT_night.jpg":    "IMG_20260704_181512345_HDR_PORTRAIT_night.jpg.supplemental-metadata.json",
				"IMG_20260704_181512345_HDR_PORTRAIT_night(1).jpg": "IMG_20260704_181512345_HDR_PORTRAIT_night.jpg.supplemental-metadata(1).json",
			},
		},
		{
			// immich-go issue #674: sidecars without the media extension.
			name: "no extension in the sidecar name",
			names: []string{
				"Peanut Butter Balls.jpg", "Peanut Butter Balls.supplemental-metadata.json",
				"2234089303984509579.jpg", "2234089303984509579-edited.jpg",
				"2234089303984509579.supplemental-metadata.json",
				"IMG_1234.jpg", "IMG_1234.json",
			},
			want: map[string]string{
				"Peanut Butter Balls.jpg":        "Peanut Butter Balls.supplemental-metadata.json",
				"2234089303984509579.jpg":        "2234089303984509579.supplemental-metadata.json",
				"2234089303984509579-edited.jpg": "2234089303984509579.supplemental-metadata.json",
				"IMG_1234.jpg":                   "IMG_1234.json",
			},
		},
		{
			// Edited copies in the languages of gpth's extras.dart.
			name: "edited copies share the original's",
			names: []string{
				"IMG_1.jpg", "IMG_1.jpg.json", "IMG_1-bearbeitet.jpg", "IMG_1-EDITED.jpg",
				"IMG_2.jpg.supplemental-metadata.json", "IMG_2-編集済み.jpg",
				"IMG_3.jpg(1).json", "IMG_3-ha editado(1).jpg",
				"IMG_4.jpg.json", "IMG_4-unknownsuffix.jpg",
			},
			want: map[string]string{
				"IMG_1.jpg":               "IMG_1.jpg.json",
				"IMG_1-bearbeitet.jpg":    "IMG_1.jpg.json",
				"IMG_1-EDITED.jpg":        "IMG_1.jpg.json",
				"IMG_2-編集済み.jpg":          "IMG_2.jpg.supplemental-metadata.json",
				"IMG_3-ha editado(1).jpg": "IMG_3.jpg(1).json",
			},
		},
		{
			// photoprism issue #2133 (jrstrunk's listing) and the Neo fork's
			// motion-photo samples: video halves have no sidecar.
			name: "motion and live photos",
			names: []string{
				"PXL_20230519_101651057.MP", "PXL_20230519_101651057.MP.jpg",
				"PXL_20230519_101651057.MP.jpg.json",
				"MVIMG_20190215_193501.jpg", "MVIMG_20190215_193501.MP4",
				"MVIMG_20190215_193501.jpg.supplemental-metadata.json",
				"IMG_1976(1).HEIC", "IMG_1976(1).MP4", "IMG_1976.HEIC.supplemental-metadata(1).json",
				"IMG_4188.HEIC", "IMG_4188.MOV", "IMG_4188.HEIC.json",
				"VID_20220107_113306.mp4", "VID_20220107_113306.mp4.json",
			},
			want: map[string]string{
				"PXL_20230519_101651057.MP":     "PXL_20230519_101651057.MP.jpg.json",
				"PXL_20230519_101651057.MP.jpg": "PXL_20230519_101651057.MP.jpg.json",
				"MVIMG_20190215_193501.jpg":     "MVIMG_20190215_193501.jpg.supplemental-metadata.json",
				"MVIMG_20190215_193501.MP4":     "MVIMG_20190215_193501.jpg.supplemental-metadata.json",
				"IMG_1976(1).HEIC":              "IMG_1976.HEIC.supplemental-metadata(1).json",
				"IMG_1976(1).MP4":               "IMG_1976.HEIC.supplemental-metadata(1).json",
				"IMG_4188.HEIC":                 "IMG_4188.HEIC.json",
				"IMG_4188.MOV":                  "IMG_4188.HEIC.json",
				"VID_20220107_113306.mp4":       "VID_20220107_113306.mp4.json",
			},
		},
		{
			// Two media files that could take one sidecar: the exact
			// match wins; between equals, the name sorting first.
			name: "exact match wins",
			names: []string{
				"IMG_9.png", "IMG_9.jpg", "IMG_9.png.json", "IMG_9.json",
				"IMG_8.png", "IMG_8.jpg", "IMG_8.json",
				"metadata.json", "print-subscriptions.json",
			},
			want: map[string]string{
				"IMG_9.png": "IMG_9.png.json",
				"IMG_9.jpg": "IMG_9.json",
				"IMG_8.jpg": "IMG_8.json",
			},
		},
		{
			// A long edited name Google clipped inside the edit suffix
			// (GooglePhotosTakeoutHelper_Neo issue #29 names; the sidecar name here
			// is what the 46-unit rule gives for the original).
			name: "edit suffix cut by clipping",
			names: []string{
				"123456789123456789123456789123456789_DSCN0091.JPG",
				"123456789123456789123456789123456789_DSCN0091-ha edit.JPG",
				"123456789123456789123456789123456789_DSCN0091..json",
			},
			want: map[string]string{
				"123456789123456789123456789123456789_DSCN0091.JPG":         "123456789123456789123456789123456789_DSCN0091..json",
				"123456789123456789123456789123456789_DSCN0091-ha edit.JPG": "123456789123456789123456789123456789_DSCN0091..json",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want := map[string]string{}
			for k, v := range tt.want {
				if v != "" {
					want[k] = v
				}
			}
			got := Sidecars(tt.names)
			if !reflect.DeepEqual(got, want) {
				for k, v := range want {
					if got[k] != v {
						t.Errorf("%q: got %q, want %q", k, got[k], v)
					}
				}
				for k, v := range got {
					if _, ok := want[k]; !ok {
						t.Errorf("%q: got %q, want no sidecar", k, v)
					}
				}
			}
			// The pairing must not depend on the listing order.
			rev := append([]string(nil), tt.names...)
			for i, j := 0, len(rev)-1; i < j; i, j = i+1, j-1 {
				rev[i], rev[j] = rev[j], rev[i]
			}
			if again := Sidecars(rev); !reflect.DeepEqual(again, got) {
				t.Errorf("reversed listing: got %v, want %v", again, got)
			}
		})
	}
}

// TestSidecarsNFD pairs a folder whose names were decomposed (unpacked on
// macOS): the edited French copy still finds its original's sidecar, and
// the names returned are the ones given.
func TestSidecarsNFD(t *testing.T) {
	media := norm.NFD.String("Été-modifié.jpg")
	side := norm.NFD.String("Été.jpg.json")
	if media == "Été-modifié.jpg" {
		t.Fatal("NFD form equals NFC form; the test would prove nothing")
	}
	got := Sidecars([]string{media, side})
	if got[media] != side {
		t.Fatalf("got %q, want %q", got, side)
	}
}

// TestClipUnits checks the cut in UTF-16 units, including a cut that
// would split a surrogate pair.
func TestClipUnits(t *testing.T) {
	ascii := strings.Repeat("a", 50)
	if got := clip(ascii); len(got) != 1 || got[0] != ascii[:46] {
		t.Errorf("ascii: got %q", got)
	}
	// 45 units of ASCII, then an emoji (2 units): 46 falls inside it.
	s := strings.Repeat("b", 45) + "😀" + "tail"
	got := clip(s)
	want := []string{strings.Repeat("b", 45), strings.Repeat("b", 45) + "😀"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("split pair: got %q, want %q", got, want)
	}
	if got := clip("short"); !reflect.DeepEqual(got, []string{"short"}) {
		t.Errorf("short: got %q", got)
	}
}
