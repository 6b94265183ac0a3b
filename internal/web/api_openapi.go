package web

import (
	_ "embed"
	"encoding/json"
	"errors"
	"net/http"
)

// openAPI describes the open-data API in OpenAPI 3.1. Every path it
// documents is routed; a test keeps it so.
//
//go:embed openapi.json
var openAPI []byte

// checkOpenAPI checks that the embedded description is JSON.
func checkOpenAPI() error {
	if !json.Valid(openAPI) {
		return errors.New("openapi.json is not valid JSON")
	}
	return nil
}

// apiOpenAPI answers GET /api/v1/openapi.json.
func (h *server) apiOpenAPI(w http.ResponseWriter, r *http.Request) error {
	openData(w)
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	_, _ = w.Write(openAPI)
	return nil
}
