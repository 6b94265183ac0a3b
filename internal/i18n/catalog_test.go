package i18n

import (
	"encoding/json"
	"io/fs"
	"maps"
	"strings"
	"testing"
	"testing/fstest"
	"unicode"

	"github.com/google/go-cmp/cmp"
)

// MustLoad loads the embedded catalogues or stops the test.
func MustLoad(tb testing.TB) *Catalog {
	tb.Helper()
	c, err := Load()
	if err != nil {
		tb.Fatalf("Load: %v", err)
	}
	return c
}

func TestLoad(t *testing.T) {
	c := MustLoad(t)

	if n := len(c.Keys()); n < 50 {
		t.Errorf("catalogue has %d keys, want the portal's wording (50 or more)", n)
	}
	for _, key := range []string{"nav.cabinet", "choose.title", "error.not_found.title"} {
		if !c.Has(key) {
			t.Errorf("Has(%q) = false", key)
		}
	}
	if c.Has("no.such.key") {
		t.Error(`Has("no.such.key") = true`)
	}
	if !c.IsPlural("schools.count") || c.IsPlural("nav.cabinet") {
		t.Error("IsPlural does not tell plural messages from plain ones")
	}
}

// TestCheck feeds broken catalogues to the loader and wants each gap named.
func TestCheck(t *testing.T) {
	good := map[Lang]string{
		KK: `{"a": "ә", "n": {"one": "{{.Count}} мектеп", "other": "{{.Count}} мектеп"}}`,
		RU: `{"a": "а", "n": {"one": "{{.Count}} школа", "few": "{{.Count}} школы",
			"many": "{{.Count}} школ", "other": "{{.Count}} школы"}}`,
		EN: `{"a": "a", "n": {"one": "{{.Count}} school", "other": "{{.Count}} schools"}}`,
	}
	tests := []struct {
		name    string
		replace map[Lang]string
		extra   map[string]string // more files by path
		want    []string          // fragments of the error; none means no error
	}{
		{name: "complete"},
		{
			name:    "key missing in Russian",
			replace: map[Lang]string{RU: `{"n": {"one": "1", "few": "2", "many": "5", "other": "1.5"}}`},
			want:    []string{`ru: missing key "a"`},
		},
		{
			name:    "extra key in English only",
			replace: map[Lang]string{EN: `{"a": "a", "b": "b", "n": {"one": "1", "other": "2"}}`},
			want:    []string{`kk: missing key "b"`, `ru: missing key "b"`},
		},
		{
			name: "Russian plural without few and many",
			replace: map[Lang]string{
				RU: `{"a": "а", "n": {"one": "{{.Count}} школа", "other": "{{.Count}} школы"}}`,
			},
			want: []string{`ru: "n" form few: no text`, `ru: "n" form many: no text`},
		},
		{
			name:    "Kazakh plural without other",
			replace: map[Lang]string{KK: `{"a": "ә", "n": {"one": "{{.Count}} мектеп"}}`},
			want:    []string{`kk: "n" form other: no text`},
		},
		{
			name:    "plain in English, plural elsewhere",
			replace: map[Lang]string{EN: `{"a": "a", "n": "schools"}`},
			want:    []string{`en: "n" is plural in another language but not here`},
		},
		{
			name:    "empty text",
			replace: map[Lang]string{KK: `{"a": " ", "n": {"one": "1", "other": "2"}}`},
			want:    []string{`kk: "a": no text`},
		},
		{
			name:    "broken placeholder",
			replace: map[Lang]string{EN: `{"a": "{{.City", "n": {"one": "1", "other": "2"}}`},
			want:    []string{`en: "a": bad placeholder`},
		},
		{
			name:    "language file missing",
			replace: map[Lang]string{RU: ""},
			want:    []string{"no ru catalogue"},
		},
		{
			name:    "a key in two files of one language",
			replace: map[Lang]string{},
			extra:   map[string]string{"l/kk/more.json": `{"a": "ә"}`},
			want:    []string{`key "a" is in another kk file too`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fsys := fstest.MapFS{}
			for _, lang := range Langs {
				text, ok := tt.replace[lang]
				if !ok {
					text = good[lang]
				}
				if text != "" {
					fsys["l/"+string(lang)+"/main.json"] = &fstest.MapFile{Data: []byte(text)}
				}
			}
			for name, text := range tt.extra {
				fsys[name] = &fstest.MapFile{Data: []byte(text)}
			}

			_, err := load(fsys, "l")

			if len(tt.want) == 0 {
				if err != nil {
					t.Fatalf("load: %v", err)
				}
				return
			}
			if err == nil {
				t.Fatalf("load succeeded, want an error naming %q", tt.want)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not name %q", err, w)
				}
			}
		})
	}
}

func TestForms(t *testing.T) {
	tests := []struct {
		lang Lang
		want []string
	}{
		{KK, []string{"one", "other"}},
		{RU, []string{"one", "few", "many", "other"}},
		{EN, []string{"one", "other"}},
	}
	for _, tt := range tests {
		t.Run(string(tt.lang), func(t *testing.T) {
			if diff := cmp.Diff(tt.want, Forms(tt.lang)); diff != "" {
				t.Errorf("Forms(%s) mismatch (-want +got):\n%s", tt.lang, diff)
			}
		})
	}
}

func TestN(t *testing.T) {
	c := MustLoad(t)
	tests := []struct {
		lang Lang
		n    int
		want string
	}{
		{KK, 1, "1 мектеп"},
		{KK, 23, "23 мектеп"},
		{RU, 1, "1 школа"},
		{RU, 2, "2 школы"},
		{RU, 5, "5 школ"},
		{RU, 11, "11 школ"},
		{RU, 21, "21 школа"},
		{RU, 23, "23 школы"},
		{RU, 0, "0 школ"},
		{EN, 1, "1 school"},
		{EN, 23, "23 schools"},
	}
	for _, tt := range tests {
		t.Run(string(tt.lang), func(t *testing.T) {
			got := c.Translator(tt.lang).N("schools.count", tt.n)
			if got != tt.want {
				t.Errorf("N(schools.count, %d) in %s = %q, want %q", tt.n, tt.lang, got, tt.want)
			}
		})
	}
}

func TestT(t *testing.T) {
	c := MustLoad(t)
	tests := []struct {
		name string
		lang Lang
		key  string
		args []any
		want string
	}{
		{"plain", RU, "nav.cabinet", nil, "Личный кабинет"},
		{"placeholder", KK, "home.heading", []any{"City", "Алматы"}, "Алматы: мектеп қызметтері"},
		{"unknown key comes back as itself", EN, "no.such.key", nil, "no.such.key"},
		{"unknown language is Kazakh", Lang("de"), "nav.cabinet", nil, "Жеке кабинет"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tr := c.Translator(tt.lang)
			if got := tr.T(tt.key, tt.args...); got != tt.want {
				t.Errorf("T(%q) = %q, want %q", tt.key, got, tt.want)
			}
		})
	}
}

// texts returns every text of the embedded catalogue of lang, by key (plural
// forms as key/form).
func texts(tb testing.TB, lang Lang) map[string]string {
	tb.Helper()
	names, err := fs.Glob(locales, "locales/"+string(lang)+"/*.json")
	if err != nil || len(names) == 0 {
		tb.Fatalf("no %s catalogue: %v", lang, err)
	}
	raw := make(map[string]any)
	for _, name := range names {
		data, err := fs.ReadFile(locales, name)
		if err != nil {
			tb.Fatal(err)
		}
		var part map[string]any
		if err := json.Unmarshal(data, &part); err != nil {
			tb.Fatal(err)
		}
		maps.Copy(raw, part)
	}
	out := make(map[string]string)
	for key, v := range raw {
		switch v := v.(type) {
		case string:
			out[key] = v
		case map[string]any:
			for form, s := range v {
				out[key+"/"+form], _ = s.(string)
			}
		}
	}
	return out
}

// mixedWords returns the words of s that mix Latin and Cyrillic letters, as a
// Latin "e", "o", "a", "c", "i" or "p" typed into a Cyrillic word does.
func mixedWords(s string) []string {
	var mixed []string
	for _, w := range strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) }) {
		latin := strings.IndexFunc(w, func(r rune) bool { return unicode.Is(unicode.Latin, r) }) >= 0
		cyrillic := strings.IndexFunc(w, func(r rune) bool { return unicode.Is(unicode.Cyrillic, r) }) >= 0
		if latin && cyrillic {
			mixed = append(mixed, w)
		}
	}
	return mixed
}

func TestMixedWords(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"Мектеп картасы", nil},
		{"SMS арқылы растау", nil},
		{"Мектeп картасы", []string{"Мектeп"}}, // Latin e
		{"Бiлiм беру", []string{"Бiлiм"}},      // Latin i for і
		{"Ата-ананың ЖСН", nil},                // the hyphen splits, both halves Cyrillic
		{"SМS code", []string{"SМS"}},          // Cyrillic М in a Latin word
		{"{{.City}}: мектеп қызметтері", nil},  // a placeholder is its own word
		{"Оқу үдерісін қамтамасыз ету", nil},   // Kazakh letters are Cyrillic
		{"Мектеп-гимназия · Лицей", nil},       // punctuation splits words
		{"ə", nil}, // alone, a Latin schwa is no mix
		{"Мəселе", []string{"Мəселе"}}, // Latin schwa for ә
		{"Һ", nil}, // Kazakh h
		{"қаланың нөмірі 1-сыныпқа", []string(nil)}, // digits split
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, mixedWords(tt.in)); diff != "" {
				t.Errorf("mixedWords(%q) mismatch (-want +got):\n%s", tt.in, diff)
			}
		})
	}
}

// TestNoLatinLookAlikes fails on a word that mixes scripts in any catalogue,
// most often a Latin letter typed into a Kazakh or Russian word.
func TestNoLatinLookAlikes(t *testing.T) {
	for _, lang := range Langs {
		for key, s := range texts(t, lang) {
			if mixed := mixedWords(s); len(mixed) > 0 {
				t.Errorf("%s %s: words mix Latin and Cyrillic letters: %q", lang, key, mixed)
			}
		}
	}
}

// TestKazakhIsKazakh catches Russian text pasted into the Kazakh catalogue
// and the wrong name for the IIN in either.
func TestKazakhIsKazakh(t *testing.T) {
	var kk, ru strings.Builder
	for _, s := range texts(t, KK) {
		kk.WriteString(s + "\n")
	}
	for _, s := range texts(t, RU) {
		ru.WriteString(s + "\n")
	}

	for _, r := range "әғқңөұүі" {
		if !strings.ContainsRune(kk.String(), r) {
			t.Errorf("the Kazakh catalogue never uses %q: is it Kazakh?", r)
		}
	}
	if strings.Contains(kk.String(), "ИИН") {
		t.Error("the Kazakh catalogue says ИИН; Kazakh uses ЖСН")
	}
	if strings.Contains(ru.String(), "ЖСН") {
		t.Error("the Russian catalogue says ЖСН; Russian uses ИИН")
	}
}
