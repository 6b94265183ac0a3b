package web

// The front-end packages the portal serves (Leaflet and
// leaflet.markercluster) come from the npm registry through
// package-lock.json. vendor.json lists the files of each package that the
// binary needs; vendor_gen.go copies them from node_modules into
// static/vendor/, where they are committed so that a clean clone builds with
// plain go build. scripts/setup.sh runs it after npm ci, and vendor_test.go
// fails when the committed copy and the locked package differ.

//go:generate go run vendor_gen.go
