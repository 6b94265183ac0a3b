package web

import (
	"encoding/json"
	"fmt"
	"net/http"
)

// writeJSON writes v as the JSON body of a response with status. It encodes
// first, so that a value that fails to encode leaves the response unwritten
// for the error renderer.
func writeJSON(w http.ResponseWriter, status int, v any) error {
	body, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("encode JSON: %w", err)
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(append(body, '\n'))
	return nil
}

// openData marks a response of the open-data API as readable by any site.
func openData(w http.ResponseWriter) {
	w.Header().Set("Access-Control-Allow-Origin", "*")
}
