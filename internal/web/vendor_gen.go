//go:build ignore

// vendor_gen copies the files vendor.json lists from the locked npm packages
// in node_modules into static/vendor/. It runs in internal/web, as go
// generate runs it.
package main

import (
	"encoding/json"
	"fmt"
	"log"
	"os"
	"path/filepath"
)

func main() {
	if err := run("../../node_modules", "static/vendor"); err != nil {
		log.Fatalf("vendor_gen: %v", err)
	}
}

// run replaces dst with a fresh copy of the listed files from modules.
func run(modules, dst string) error {
	data, err := os.ReadFile("vendor.json")
	if err != nil {
		return err
	}
	var list struct {
		Packages map[string]map[string]string `json:"packages"`
	}
	if err := json.Unmarshal(data, &list); err != nil {
		return fmt.Errorf("read vendor.json: %w", err)
	}

	// Start from an empty folder, so that a file dropped from the list
	// leaves the binary too.
	if err := os.RemoveAll(dst); err != nil {
		return err
	}
	for pkg, files := range list.Packages {
		for from, to := range files {
			body, err := os.ReadFile(filepath.Join(modules, pkg, filepath.FromSlash(from)))
			if err != nil {
				return fmt.Errorf("%w (run npm ci first)", err)
			}
			out := filepath.Join(dst, filepath.FromSlash(to))
			if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
				return err
			}
			if err := os.WriteFile(out, body, 0o644); err != nil {
				return err
			}
		}
	}
	return nil
}
