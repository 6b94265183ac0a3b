package httpregistry_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"sakura/internal/errs"
	"sakura/internal/iin/iintest"
	"sakura/internal/person"
	"sakura/internal/person/httpregistry"
)

var now = time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC)

// gateway is a registry server for one test: answer decides each reply,
// and the requests it saw are counted.
type gateway struct {
	calls  atomic.Int32
	answer func(n int32, path string, body map[string]string, w http.ResponseWriter)
}

func (g *gateway) start(t *testing.T) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := g.calls.Add(1)
		if r.Method != http.MethodPost || r.Header.Get("Authorization") != "Bearer secret" {
			http.Error(w, "bad request", http.StatusBadRequest)
			return
		}
		var body map[string]string
		if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
			http.Error(w, "bad json", http.StatusBadRequest)
			return
		}
		g.answer(n, r.URL.Path, body, w)
	}))
	t.Cleanup(srv.Close)
	return srv
}

func mustClient(t *testing.T, base string, retries int, timeout time.Duration) *httpregistry.Client {
	t.Helper()
	c, err := httpregistry.New(httpregistry.Config{BaseURL: base + "/", Token: "secret", Timeout: timeout,
		Retries: retries, Backoff: time.Millisecond, Now: func() time.Time { return now }}, nil)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(v)
}

func TestPerson(t *testing.T) {
	mother := iintest.Must(t, 1990, 7, 25, false)
	child := iintest.Must(t, 2019, 3, 1, true)
	wire := map[string]string{"iin": mother, "surname": "Сейітова", "name": "Айгүл", "patronymic": "Серікқызы",
		"birth_date": "1990-07-25", "sex": "female", "phone": "+77010000001"}
	want := person.Person{IIN: mother, Surname: "Сейітова", Name: "Айгүл", Patronymic: "Серікқызы",
		BirthDate: time.Date(1990, 7, 25, 0, 0, 0, 0, time.UTC), Sex: person.Female, Phone: "+77010000001"}

	tests := []struct {
		name      string
		number    string
		retries   int
		answer    func(n int32, path string, body map[string]string, w http.ResponseWriter)
		want      person.Person
		wantKind  errs.Kind
		wantErr   bool
		wantCalls int32
	}{
		{"found", mother, 2, func(_ int32, path string, body map[string]string, w http.ResponseWriter) {
			if path != "/v1/person" || body["iin"] != mother {
				http.Error(w, "wrong request", http.StatusBadRequest)
				return
			}
			writeJSON(w, wire)
		}, want, 0, false, 1},
		{"not found", child, 2, func(_ int32, _ string, _ map[string]string, w http.ResponseWriter) {
			http.NotFound(w, nil)
		}, person.Person{}, errs.NotFound, true, 1},
		{"500 then success", mother, 2, func(n int32, _ string, _ map[string]string, w http.ResponseWriter) {
			if n == 1 {
				http.Error(w, "down", http.StatusInternalServerError)
				return
			}
			writeJSON(w, wire)
		}, want, 0, false, 2},
		{"always 503", mother, 2, func(_ int32, _ string, _ map[string]string, w http.ResponseWriter) {
			http.Error(w, "down", http.StatusServiceUnavailable)
		}, person.Person{}, errs.Unavailable, true, 3},
		{"403 not repeated", mother, 2, func(_ int32, _ string, _ map[string]string, w http.ResponseWriter) {
			http.Error(w, "no", http.StatusForbidden)
		}, person.Person{}, errs.Unavailable, true, 1},
		{"malformed JSON", mother, 2, func(_ int32, _ string, _ map[string]string, w http.ResponseWriter) {
			w.Write([]byte(`{"iin": "` + mother + `", "name": `))
		}, person.Person{}, errs.Unavailable, true, 1},
		{"malformed date", mother, 2, func(_ int32, _ string, _ map[string]string, w http.ResponseWriter) {
			bad := map[string]string{"iin": mother, "name": "Айгүл", "birth_date": "25.07.1990", "sex": "female"}
			writeJSON(w, bad)
		}, person.Person{}, errs.Unavailable, true, 1},
		{"wrong check digit", mother[:11] + string('0'+(mother[11]-'0'+1)%10), 2,
			func(_ int32, _ string, _ map[string]string, w http.ResponseWriter) { writeJSON(w, wire) },
			person.Person{}, errs.Invalid, true, 0},
		{"letters", "90072540045x", 2,
			func(_ int32, _ string, _ map[string]string, w http.ResponseWriter) { writeJSON(w, wire) },
			person.Person{}, errs.Invalid, true, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := &gateway{answer: tt.answer}
			c := mustClient(t, g.start(t).URL, tt.retries, 2*time.Second)

			got, err := c.Person(context.Background(), tt.number)
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, want an error: %v", err, tt.wantErr)
			}
			if err != nil && errs.KindOf(err) != tt.wantKind {
				t.Errorf("kind of %v = %v, want %v", err, errs.KindOf(err), tt.wantKind)
			}
			if err != nil && strings.Contains(err.Error(), tt.number) {
				t.Errorf("error %q shows the IIN in clear", err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("person (-want +got):\n%s", diff)
			}
			if n := g.calls.Load(); n != tt.wantCalls {
				t.Errorf("%d requests, want %d", n, tt.wantCalls)
			}
		})
	}
}

func TestTimeout(t *testing.T) {
	mother := iintest.Must(t, 1990, 7, 25, false)
	tests := []struct {
		name      string
		slow      int32 // the first requests that hang
		retries   int
		wantErr   bool
		wantCalls int32
	}{
		{"gives up", 100, 1, true, 2},
		{"third attempt answers", 2, 2, false, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			release := make(chan struct{})
			g := &gateway{answer: func(n int32, _ string, _ map[string]string, w http.ResponseWriter) {
				if n <= tt.slow {
					<-release
					return
				}
				writeJSON(w, map[string]string{"iin": mother, "surname": "С", "name": "Айгүл",
					"birth_date": "1990-07-25", "sex": "female"})
			}}
			srv := g.start(t)
			t.Cleanup(func() { close(release) })
			c := mustClient(t, srv.URL, tt.retries, 50*time.Millisecond)

			start := time.Now()
			p, err := c.Person(context.Background(), mother)
			if d := time.Since(start); d > time.Second {
				t.Errorf("took %v, want at most about 150 ms", d)
			}
			if tt.wantErr {
				if !errors.Is(err, errs.ErrUnavailable) {
					t.Fatalf("err = %v, want unavailable", err)
				}
				if strings.Contains(err.Error(), mother) || strings.Contains(err.Error(), srv.URL) {
					t.Errorf("error %q shows the IIN or the URL", err)
				}
			} else if err != nil || p.Name != "Айгүл" {
				t.Fatalf("person = %+v, %v; want Айгүл", p, err)
			}
			if n := g.calls.Load(); n != tt.wantCalls {
				t.Errorf("%d requests, want %d", n, tt.wantCalls)
			}
		})
	}
}

func TestUnreachable(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	base := srv.URL
	srv.Close()

	c := mustClient(t, base, 2, time.Second)
	_, err := c.Person(context.Background(), iintest.Must(t, 1990, 7, 25, false))
	if !errors.Is(err, errs.ErrUnavailable) {
		t.Fatalf("err = %v, want unavailable", err)
	}
}

func TestChildren(t *testing.T) {
	mother := iintest.Must(t, 1990, 7, 25, false)
	child := iintest.Must(t, 2019, 3, 1, true)
	stranger := iintest.Must(t, 2018, 5, 2, false)
	g := &gateway{answer: func(_ int32, path string, body map[string]string, w http.ResponseWriter) {
		kid := map[string]string{"iin": child, "surname": "Сейітов", "name": "Әлихан",
			"birth_date": "2019-03-01", "sex": "male"}
		if path == "/v1/person" && body["iin"] == child {
			writeJSON(w, kid)
			return
		}
		if path != "/v1/children" {
			http.NotFound(w, nil)
			return
		}
		children := []any{}
		if body["parent_iin"] == mother {
			children = append(children, map[string]any{"relation": "mother", "person": kid})
		}
		writeJSON(w, map[string]any{"children": children})
	}}
	c := mustClient(t, g.start(t).URL, 0, time.Second)
	ctx := context.Background()

	kids, err := c.Children(ctx, mother)
	if err != nil {
		t.Fatal(err)
	}
	want := []person.Person{{IIN: child, Surname: "Сейітов", Name: "Әлихан",
		BirthDate: time.Date(2019, 3, 1, 0, 0, 0, 0, time.UTC), Sex: person.Male}}
	if diff := cmp.Diff(want, kids); diff != "" {
		t.Errorf("children (-want +got):\n%s", diff)
	}

	l, err := c.Link(ctx, mother, child)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(person.Link{ParentIIN: mother, ChildIIN: child, Relation: "mother"}, l); diff != "" {
		t.Errorf("link (-want +got):\n%s", diff)
	}
	if _, err := c.Link(ctx, mother, stranger); !errors.Is(err, errs.ErrNotFound) {
		t.Errorf("link to a stranger: err = %v, want not found", err)
	}

	check, err := person.CheckIIN(ctx, c, mother, child, now)
	if err != nil {
		t.Fatal(err)
	}
	if !check.Linked || check.MaskedName != "Әлихан С." {
		t.Errorf("check = %+v, want linked Әлихан С.", check)
	}
}

func TestNewRefusesBadURL(t *testing.T) {
	for _, base := range []string{"", "ftp://x", "registry.example.kz", "http://"} {
		if _, err := httpregistry.New(httpregistry.Config{BaseURL: base}, nil); err == nil {
			t.Errorf("New(%q) accepted", base)
		}
	}
}
