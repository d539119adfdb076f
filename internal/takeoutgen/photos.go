package takeoutgen

import (
	"fmt"
	"time"
)

const photosRoot = "Takeout/Google Photos/"

// shot is a photo of a year folder.
type shot struct {
	folder, name string
	data         []byte
	date         time.Time // what it must be filed under
	taken        time.Time // its sidecar's photoTakenTime; zero: no sidecar
	style        Style
	// sidecarPart, when not -1, is the part the sidecar must go to (the
	// photo goes to the other).
	sidecarPart int
}

func yearFolder(y int) string { return fmt.Sprintf("%sPhotos from %d/", photosRoot, y) }

// at is a random time in year y, to the second.
func (g *gen) at(y int) time.Time {
	start := time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC)
	return start.Add(time.Duration(g.rng.Int64N(int64(364*24*time.Hour))) / time.Second * time.Second)
}

// exifFor gives a photo with a sidecar its EXIF date: none for one in
// four, another month's (a camera with a wrong clock) for one in four,
// the sidecar's wall clock otherwise.
func (g *gen) exifFor(taken time.Time) time.Time {
	switch g.rng.IntN(4) {
	case 0:
		return time.Time{}
	case 1:
		return taken.AddDate(0, -2-g.rng.IntN(30), 0)
	}
	return taken
}

// withSidecar adds a year folder's photo and its sidecar.
func (g *gen) withSidecar(s shot) shot {
	if s.data == nil {
		s.data = jpeg(g.rng, g.exifFor(s.taken))
	}
	s.date = s.taken
	g.put(s)
	return s
}

// put writes a shot and its sidecar (when it has one).
func (g *gen) put(s shot) {
	photoPart := -1
	if s.sidecarPart >= 0 {
		photoPart = 1 - s.sidecarPart
	}
	g.file(s.folder+s.name, s.data, s.date, photoPart)
	if !s.taken.IsZero() {
		title, _ := splitDup(s.name) // Google's title is the uploaded name
		up := s.taken.Add(time.Duration(1+g.rng.IntN(72)) * time.Hour)
		g.add(s.folder+SidecarName(s.name, s.style), sidecarJSON(title, s.taken, up, g.rng), s.sidecarPart)
	}
}

// copyTo puts an album's copy of s: the same bytes, a sidecar of its own
// (the same photoTakenTime), under name.
func (g *gen) copyTo(album, name string, s shot) {
	s.folder, s.name, s.sidecarPart = photosRoot+album+"/", name, -1
	g.put(s)
}

// photos writes the Google Photos folders.
func (g *gen) photos() {
	const years = 6
	var year [years][]shot
	names := map[string]bool{}
	for i := range years {
		y := 2019 + i
		for k := range 7 {
			t := g.at(y)
			var name string
			switch k % 3 {
			case 0:
				name = "IMG_" + t.Format("20060102_150405") + ".jpg"
			case 1:
				name = fmt.Sprintf("PXL_%s%03d.jpg", t.Format("20060102_150405"), g.rng.IntN(1000))
			default:
				name = fmt.Sprintf("DSC%05d.JPG", g.rng.IntN(100000))
			}
			if names[name] {
				continue
			}
			names[name] = true
			part := -1
			if k == 3 && i < 3 {
				part = 1 // the photo in -001, its sidecar in -002
			}
			year[i] = append(year[i], g.withSidecar(shot{folder: yearFolder(y), name: name, taken: t, style: Style(g.rng.IntN(2)), sidecarPart: part}))
		}
	}
	sp := func(y int, name string, st Style) shot {
		return g.withSidecar(shot{folder: yearFolder(y), name: name, taken: g.at(y), style: st, sidecarPart: -1})
	}

	// Long names: the sidecar's name clipped to 51 characters.
	sp(2022, "Screenshot_20220315-101530_Samsung Internet.jpg", Old)
	sp(2023, "PXL_20230701_120000123.PORTRAIT.ORIGINAL.jpg", New)
	sp(2023, "PXL_20230702_090000456.NIGHT.jpg", New) // NAME.ext.supplemental-m.json
	sp(2022, "20220815_183000_Hochzeit_von_Lea_und_Jonas_am_See.jpg", New)
	tolz := sp(2021, "Sommerfest bei Oma und Opa in Bad Tölz – Gruppenbild.jpg", Old)

	sp(2024, "PXL_20240115_070000123.LONG_EXPOSURE-01.COVER.jpg", Unclipped)

	// "(1)" duplicates: another photo of the same name.
	sp(2023, "IMG_0815.jpg", New)
	sp(2023, "IMG_0815(1).jpg", NewInPlace)
	sp(2020, "IMG_0420.jpg", Old)
	dup := sp(2020, "IMG_0420(1).jpg", Old)
	sp(2024, "PXL_20240203_101010101.jpg", New)
	sp(2024, "PXL_20240203_101010101(1).jpg", New)
	sp(2022, "Screenshot_20220315-101530_WhatsApp Business.jpg", New)
	sp(2022, "Screenshot_20220315-101530_WhatsApp Business(1).jpg", New)

	// Edited copies share their original's sidecar (and keep its EXIF).
	rome := sp(2021, "IMG_20210704_193512.jpg", Old)
	edited := shot{folder: rome.folder, name: "IMG_20210704_193512-edited.jpg", data: jpeg(g.rng, rome.taken.AddDate(0, -5, 0)), date: rome.taken, sidecarPart: -1}
	g.put(edited)
	orig := sp(2024, "PXL_20240520_081500000.jpg", New)
	g.put(shot{folder: orig.folder, name: "PXL_20240520_081500000-bearbeitet.jpg", data: jpeg(g.rng, time.Time{}), date: orig.taken, sidecarPart: -1})

	nz18 := sp(2019, "IMG_4518.JPG", Old)
	nz18e := shot{folder: nz18.folder, name: "IMG_4518-edited.JPG", data: jpeg(g.rng, time.Time{}), date: nz18.taken, sidecarPart: -1}
	g.put(nz18e)
	nz25 := sp(2019, "IMG_4525.JPG", Old)
	nz25e := shot{folder: nz25.folder, name: "IMG_4525-edited.JPG", data: jpeg(g.rng, nz25.taken.AddDate(-1, 0, 0)), date: nz25.taken, sidecarPart: -1}
	g.put(nz25e)

	// Motion photos: the video part has no sidecar of its own.
	mp := sp(2023, "PXL_20230812_143015123.MP.jpg", New)
	mpVideo := shot{folder: mp.folder, name: "PXL_20230812_143015123.MP", data: video(g.rng), date: mp.taken, sidecarPart: -1}
	g.put(mpVideo)
	mv := sp(2019, "MVIMG_20190512_101010.jpg", Old)
	g.put(shot{folder: mv.folder, name: "MVIMG_20190512_101010.mp4", data: video(g.rng), date: mv.taken, sidecarPart: -1})

	// A messenger image: no EXIF, no sidecar, a name without a date.
	g.put(shot{folder: yearFolder(2023), name: "received_2468013579112.jpeg", data: jpeg(g.rng, time.Time{}), sidecarPart: -1})
	// A photo whose sidecar Takeout left out: its EXIF date.
	when := g.at(2020)
	g.put(shot{folder: yearFolder(2020), name: "IMG_" + when.Format("20060102_150405") + "_1.jpg", data: jpeg(g.rng, when), date: when, sidecarPart: -1})

	// Albums: copies of year folders' photos, sidecars of their own.
	g.add(photosRoot+"Trip to Rome/metadata.json", albumJSON("Trip to Rome", rome.taken), -1)
	g.copyTo("Trip to Rome", rome.name, rome)
	g.copyTo("Trip to Rome", edited.name, edited)
	for _, s := range year[2][:3] {
		g.copyTo("Trip to Rome", s.name, s)
	}
	// A photo in an album only (gpth issue #22).
	g.withSidecar(shot{folder: photosRoot + "Trip to Rome/", name: "IMG_20210706_101010.jpg", taken: g.at(2021), style: Old, sidecarPart: -1})
	g.add(photosRoot+"Family/metadata.json", albumJSON("Family", Exported.AddDate(-1, 0, 0)), -1)
	g.copyTo("Family", "IMG_0420.jpg", dup) // alone in the album, it needs no "(1)"
	g.copyTo("Family", tolz.name, tolz)
	g.copyTo("Family", mp.name, mp)
	g.copyTo("Family", mpVideo.name, mpVideo)
	g.copyTo("Family", year[5][0].name, year[5][0])

	// An album of sidecars only: its photos are in their year folder
	// (simulot/immich-go issue #482).
	g.add(photosRoot+"New Zealand - 12 North Island/metadata.json", albumJSON("New Zealand - 12 North Island", year[0][0].taken), -1)
	for _, s := range year[0][:3] {
		g.add(photosRoot+"New Zealand - 12 North Island/"+SidecarName(s.name, s.style), sidecarJSON(s.name, s.taken, s.taken.Add(time.Hour), g.rng), -1)
	}

	// An album as immich-go issue #482 shows one: the sidecar of a photo
	// that is only in its year folder, beside that photo's edited copy,
	// and an edited copy with neither its original nor its sidecar.
	nz := photosRoot + "New Zealand - 13 Return Trip/"
	g.add(nz+"metadata.json", albumJSON("New Zealand - 13 Return Trip", nz18.taken), -1)
	g.add(nz+SidecarName(nz18.name, Old), sidecarJSON(nz18.name, nz18.taken, nz18.taken.Add(time.Hour), g.rng), -1)
	g.copyTo("New Zealand - 13 Return Trip", nz18e.name, nz18e)
	g.copyTo("New Zealand - 13 Return Trip", nz25e.name, nz25e)

	g.add(photosRoot+"print-subscriptions.json", []byte("{\n  \"printSubscriptions\": []\n}"), -1)
	g.add(photosRoot+"user-generated-memory-titles.json", []byte("{\n  \"title\": []\n}"), -1)
}

// pim writes the contacts and the calendar, and counts them into m.
func (g *gen) pim(m *Manifest) {
	cards := contacts(g.rng, 40)
	var all, family []byte
	for _, c := range cards {
		all = append(all, c.card...)
		m.Cards++
		if c.family {
			family = append(family, c.card...)
			m.Cards++
		}
	}
	m.Contacts = len(cards)
	g.add("Takeout/Contacts/My Contacts/My Contacts.vcf", all, -1)
	g.add("Takeout/Contacts/Family/Family.vcf", family, -1)
	ics, events := calendar(g.rng, 12, Exported)
	m.Events = events
	g.add("Takeout/Calendar/Anna Schmidt.ics", ics, -1)
	// Only the first part holds the index page.
	g.entries = append([]entry{{path: "Takeout/archive_browser.html", data: []byte("<!DOCTYPE html><html><body>Takeout</body></html>\n"), part: 0}}, g.entries...)
}
