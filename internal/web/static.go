package web

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"regexp"
	"strings"
	"time"
)

//go:embed static
var staticFS embed.FS

// asset is one embedded static file, served at a path that holds a hash of
// its content, so that it can be cached for a year and a new build still
// reaches every browser at once.
type asset struct {
	path  string // /static/site.0123abcd4567.css
	ctype string
	etag  string
	body  []byte
}

// assets are the embedded static files by name (site.css).
type assets struct {
	byName map[string]*asset
	list   []*asset
}

// loadAssets reads every file under static/ in fsys.
func loadAssets(fsys fs.FS) (*assets, error) {
	a := &assets{byName: make(map[string]*asset)}
	err := fs.WalkDir(fsys, "static", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		body, err := fs.ReadFile(fsys, name)
		if err != nil {
			return err
		}

		sum := sha256.Sum256(body)
		hash := hex.EncodeToString(sum[:6])
		rel := strings.TrimPrefix(name, "static/")
		ext := path.Ext(rel)
		ctype := mime.TypeByExtension(ext)
		if ctype == "" {
			return fmt.Errorf("static file %s: unknown content type", rel)
		}

		f := &asset{
			path:  "/static/" + strings.TrimSuffix(rel, ext) + "." + hash + ext,
			ctype: ctype,
			etag:  `"` + hash + `"`,
			body:  body,
		}
		a.byName[rel] = f
		a.list = append(a.list, f)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("load static files: %w", err)
	}

	// Stylesheets name their images relatively (Leaflet's url(images/…));
	// point them at the hashed paths, and hash the stylesheet after.
	for rel, f := range a.byName {
		if path.Ext(rel) == ".css" {
			f.body = cssURL.ReplaceAllFunc(f.body, func(m []byte) []byte {
				ref := string(cssURL.FindSubmatch(m)[1])
				if img, ok := a.byName[path.Join(path.Dir(rel), ref)]; ok {
					return []byte("url(" + img.path + ")")
				}
				return m
			})
			sum := sha256.Sum256(f.body)
			hash := hex.EncodeToString(sum[:6])
			ext := path.Ext(rel)
			f.path = "/static/" + strings.TrimSuffix(rel, ext) + "." + hash + ext
			f.etag = `"` + hash + `"`
		}
	}
	return a, nil
}

// cssURL matches a relative url(…) in a stylesheet, without quotes.
var cssURL = regexp.MustCompile(`url\(([A-Za-z0-9_][A-Za-z0-9_./-]*)\)`)

// url returns the path at which the static file name is served; templates
// call it as {{asset "site.css"}}.
func (a *assets) url(name string) (string, error) {
	f, ok := a.byName[name]
	if !ok {
		return "", fmt.Errorf("no static file %q", name)
	}
	return f.path, nil
}

// ServeHTTP serves the file with a year-long, immutable cache lifetime.
func (f *asset) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", f.ctype)
	w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	w.Header().Set("ETag", f.etag)
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(f.body))
}
