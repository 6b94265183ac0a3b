// Package httpregistry is a person.Registry that asks the state person
// registry through an HTTP gateway.
//
// # The JSON contract
//
// Every request is a POST with a JSON body, so that no IIN ever stands in a
// URL (and so in a proxy's access log); the gateway answers JSON:
//
//	POST {base}/v1/person    {"iin": "900725400456"}
//	  200 {"iin": "…", "surname": "…", "name": "…", "patronymic": "…",
//	       "birth_date": "1990-07-25", "sex": "female", "phone": "+7…"}
//	  404 when the registry holds no such person
//
//	POST {base}/v1/children  {"parent_iin": "900725400456"}
//	  200 {"children": [{"relation": "mother", "person": {…as above…}}]}
//	  (an empty list for a parent without children or an unknown IIN)
//
// Every request carries "Authorization: Bearer TOKEN" when a token is set.
// Both requests only read, so the client repeats them: after a network
// error, a timeout or a 5xx answer it waits (Backoff, doubling each time)
// and tries again, at most Retries more times. A 4xx answer other than 404
// is not repeated. An answer that is not the JSON above is an
// errs.Unavailable error, as is a registry still failing after the retries.
package httpregistry

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"sakura/internal/errs"
	"sakura/internal/person"
)

// maxBody bounds the answer the client reads.
const maxBody = 1 << 20

// Config says how to reach the gateway.
type Config struct {
	BaseURL string        // such as https://registry.example.kz/api
	Token   string        // bearer token, if the gateway wants one
	Timeout time.Duration // per attempt; 5 s when zero
	Retries int           // further attempts after the first; 0 means none
	Backoff time.Duration // wait before the first retry, doubled after; 200 ms when zero

	// Now bounds the birth dates of the numbers checked; time.Now when nil.
	Now func() time.Time
}

// Client is a person.Registry behind an HTTP gateway. It is safe for
// concurrent use.
type Client struct {
	cfg  Config
	base *url.URL
	http *http.Client
}

var _ person.Registry = (*Client)(nil)

// New returns a client of the gateway at cfg.BaseURL. httpClient may be nil
// for a client of its own.
func New(cfg Config, httpClient *http.Client) (*Client, error) {
	base, err := url.Parse(strings.TrimSuffix(cfg.BaseURL, "/"))
	if err != nil || (base.Scheme != "http" && base.Scheme != "https") || base.Host == "" {
		return nil, fmt.Errorf("person registry: base URL %q is not an http(s) URL", cfg.BaseURL)
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 5 * time.Second
	}
	if cfg.Backoff <= 0 {
		cfg.Backoff = 200 * time.Millisecond
	}
	if cfg.Retries < 0 {
		cfg.Retries = 0
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if httpClient == nil {
		httpClient = &http.Client{}
	}
	return &Client{cfg: cfg, base: base, http: httpClient}, nil
}

// wirePerson is a person as the gateway sends it.
type wirePerson struct {
	IIN        string     `json:"iin"`
	Surname    string     `json:"surname"`
	Name       string     `json:"name"`
	Patronymic string     `json:"patronymic"`
	BirthDate  string     `json:"birth_date"`
	Sex        person.Sex `json:"sex"`
	Phone      string     `json:"phone"`
}

func (w wirePerson) person() (person.Person, error) {
	birth, err := time.Parse(time.DateOnly, w.BirthDate)
	if err != nil {
		return person.Person{}, errors.New("birth_date is not YYYY-MM-DD")
	}
	if w.Sex != person.Male && w.Sex != person.Female {
		return person.Person{}, errors.New("sex is neither male nor female")
	}
	if len(w.IIN) != 12 || w.Name == "" {
		return person.Person{}, errors.New("iin or name missing")
	}
	return person.Person{IIN: w.IIN, Surname: w.Surname, Name: w.Name, Patronymic: w.Patronymic,
		BirthDate: birth, Sex: w.Sex, Phone: w.Phone}, nil
}

// Person returns the person with the IIN, or an error matching
// errs.ErrNotFound; a malformed IIN is an errs.Invalid error, refused
// before any request.
func (c *Client) Person(ctx context.Context, iin string) (person.Person, error) {
	op := "registry person " + person.MaskIIN(iin)
	if _, err := person.ParseIIN(iin, c.cfg.Now()); err != nil {
		return person.Person{}, fmt.Errorf("%s: %w", op, err)
	}

	var w wirePerson
	if err := c.post(ctx, op, "/v1/person", map[string]string{"iin": iin}, &w); err != nil {
		return person.Person{}, err
	}
	p, err := w.person()
	if err == nil && w.IIN != iin {
		err = errors.New("the answer is about another IIN")
	}
	if err != nil {
		return person.Person{}, fmt.Errorf("%s: %w", op, malformed(err))
	}
	return p, nil
}

// Children returns the children linked to a parent, ordered as the
// registry sends them.
func (c *Client) Children(ctx context.Context, parentIIN string) ([]person.Person, error) {
	links, err := c.children(ctx, parentIIN)
	if err != nil {
		return nil, err
	}
	out := make([]person.Person, len(links))
	for i, l := range links {
		out[i] = l.child
	}
	return out, nil
}

// Link returns the link between a parent and a child, or an error matching
// errs.ErrNotFound when the registry does not link them.
func (c *Client) Link(ctx context.Context, parentIIN, childIIN string) (person.Link, error) {
	links, err := c.children(ctx, parentIIN)
	if err != nil {
		return person.Link{}, err
	}
	for _, l := range links {
		if l.child.IIN == childIIN {
			return person.Link{ParentIIN: parentIIN, ChildIIN: childIIN, Relation: l.relation}, nil
		}
	}
	return person.Link{}, fmt.Errorf("registry link %s: %w", person.MaskIIN(childIIN), errs.ErrNotFound)
}

type childLink struct {
	child    person.Person
	relation string
}

func (c *Client) children(ctx context.Context, parentIIN string) ([]childLink, error) {
	op := "registry children " + person.MaskIIN(parentIIN)
	if _, err := person.ParseIIN(parentIIN, c.cfg.Now()); err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}

	var w struct {
		Children *[]struct {
			Relation string     `json:"relation"`
			Person   wirePerson `json:"person"`
		} `json:"children"`
	}
	err := c.post(ctx, op, "/v1/children", map[string]string{"parent_iin": parentIIN}, &w)
	if errors.Is(err, errs.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if w.Children == nil {
		return nil, fmt.Errorf("%s: %w", op, malformed(errors.New("no children list")))
	}

	out := make([]childLink, 0, len(*w.Children))
	for _, x := range *w.Children {
		p, err := x.Person.person()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", op, malformed(err))
		}
		out = append(out, childLink{child: p, relation: x.Relation})
	}
	return out, nil
}

// post sends one request, repeating it after network errors, timeouts and
// 5xx answers, and decodes a 200 answer into out. A 404 is
// errs.ErrNotFound.
func (c *Client) post(ctx context.Context, op, path string, body, out any) error {
	payload, err := json.Marshal(body)
	if err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}

	wait := c.cfg.Backoff
	var last error
	for attempt := 0; attempt <= c.cfg.Retries; attempt++ {
		if attempt > 0 {
			t := time.NewTimer(wait)
			select {
			case <-ctx.Done():
				t.Stop()
				return &errs.Error{Kind: errs.Unavailable, Err: fmt.Errorf("%s: %w (last: %w)", op, ctx.Err(), last)}
			case <-t.C:
			}
			wait *= 2
		}

		status, data, err := c.do(ctx, path, payload)
		switch {
		case err != nil:
			last = err
			if ctx.Err() != nil {
				return &errs.Error{Kind: errs.Unavailable, Err: fmt.Errorf("%s: %w", op, err)}
			}
			continue
		case status >= 500:
			last = fmt.Errorf("HTTP %d", status)
			continue
		case status == http.StatusNotFound:
			return fmt.Errorf("%s: %w", op, errs.ErrNotFound)
		case status != http.StatusOK:
			return &errs.Error{Kind: errs.Unavailable, Err: fmt.Errorf("%s: the gateway refused with HTTP %d", op, status)}
		}
		if err := json.Unmarshal(data, out); err != nil {
			return fmt.Errorf("%s: %w", op, malformed(err))
		}
		return nil
	}
	return &errs.Error{Kind: errs.Unavailable, Err: fmt.Errorf("%s: %d attempts failed, last: %w", op, c.cfg.Retries+1, last)}
}

// do makes one attempt within the per-attempt timeout. Its errors never
// hold the URL or the body.
func (c *Client) do(ctx context.Context, path string, payload []byte) (int, []byte, error) {
	ctx, cancel := context.WithTimeout(ctx, c.cfg.Timeout)
	defer cancel()

	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.base.String()+path, bytes.NewReader(payload))
	if err != nil {
		return 0, nil, errors.New("build request")
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	if c.cfg.Token != "" {
		req.Header.Set("Authorization", "Bearer "+c.cfg.Token)
	}

	resp, err := c.http.Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err // drop the URL
		}
		return 0, nil, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	if err != nil {
		return 0, nil, fmt.Errorf("read answer: %w", err)
	}
	return resp.StatusCode, data, nil
}

// malformed classifies an answer that breaks the contract: the registry is
// as good as unreachable.
func malformed(err error) error {
	return &errs.Error{Kind: errs.Unavailable, Err: fmt.Errorf("malformed answer: %w", err)}
}
