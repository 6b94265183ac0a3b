package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"sakura/internal/demo"
	"sakura/internal/importer"
	"sakura/internal/store"
)

// maxImportFile bounds the size of an import file.
const maxImportFile = 512 << 20

const importUsage = `Usage: sakura import schools|addresses|catchments|teachers|districts|people -city SLUG [-db DSN] [-year YEAR] FILE

The formats are in the README ("Importing a city's data"). The file is checked
whole first; any problem is reported as FILE:LINE: reason and nothing is written.
`

// importData reads one file of a city's reference data, checks all of it
// and writes it in one transaction, or reports every problem and writes
// nothing.
func importData(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "-help" || args[0] == "--help" {
		fmt.Fprint(stderr, importUsage)
		return flag.ErrHelp
	}
	kind := args[0]
	switch kind {
	case "schools", "addresses", "catchments", "teachers", "districts", "people":
	default:
		fmt.Fprintf(stderr, "sakura import: unknown kind %q\n\n%s", kind, importUsage)
		return flag.ErrHelp
	}

	dsn := defaultDB
	if v := getenv("SAKURA_DB"); v != "" {
		dsn = v
	}
	fs := flag.NewFlagSet("sakura import "+kind, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&dsn, "db", dsn, "database: a SQLite file path or a postgres:// URL (SAKURA_DB)")
	slug := fs.String("city", "", "the city's slug, such as almaty (required)")
	year := fs.Int("year", demo.CatchmentYear, "catchments: the year the school year starts")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if *slug == "" || fs.NArg() != 1 {
		fmt.Fprint(stderr, importUsage)
		return errors.New("import: want -city SLUG and one FILE")
	}
	path := fs.Arg(0)

	data, err := readImportFile(path)
	if err != nil {
		return err
	}

	db, err := store.Open(ctx, dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	if _, err := db.Migrate(ctx); err != nil {
		return err
	}
	known, err := db.ImportKnown(ctx, *slug)
	if err != nil {
		return fmt.Errorf("import: city %q: %w", *slug, err)
	}

	name := filepath.Base(path)
	res, err := importFile(ctx, db, kind, name, data, known, *year)
	if err != nil {
		var problems *importer.Error
		if errors.As(err, &problems) {
			fmt.Fprintln(stderr, problems.Error())
			return fmt.Errorf("import %s: %d problems in %s; nothing was written",
				kind, len(problems.Problems)+problems.More, name)
		}
		return err
	}
	fmt.Fprintf(stdout, "imported %s into %s from %s: %s\n", kind, *slug, name, res)
	return nil
}

// importFile checks data as the kind of file and writes it.
func importFile(ctx context.Context, db *store.DB, kind, name string, data []byte, k importer.Known, year int) (store.ImportResult, error) {
	switch kind {
	case "districts":
		ds, err := importer.ReadDistricts(name, data)
		if err != nil {
			return store.ImportResult{}, err
		}
		return db.ImportDistricts(ctx, k.City, importer.MatchDistricts(ds, k))
	case "schools":
		rows, err := importer.ReadSchools(name, data, k)
		if err != nil {
			return store.ImportResult{}, err
		}
		return db.ImportSchools(ctx, k.City, rows)
	case "addresses":
		rows, err := importer.ReadAddresses(name, data, k)
		if err != nil {
			return store.ImportResult{}, err
		}
		return db.ImportAddresses(ctx, k.City, rows)
	case "catchments":
		c, err := importer.ReadCatchments(name, data, k)
		if err != nil {
			return store.ImportResult{}, err
		}
		return db.ImportCatchments(ctx, k.City, year, c)
	case "teachers":
		rows, err := importer.ReadTeachers(name, data, k, nil)
		if err != nil {
			return store.ImportResult{}, err
		}
		return db.ImportTeachers(ctx, k.City, rows)
	case "people":
		known, err := db.PersonIINs(ctx, k.City)
		if err != nil {
			return store.ImportResult{}, err
		}
		p, err := importer.ReadPeople(name, data, k, known, time.Now())
		if err != nil {
			return store.ImportResult{}, err
		}
		return db.ImportPeople(ctx, k.City, p)
	}
	return store.ImportResult{}, fmt.Errorf("import: unknown kind %q", kind)
}

func readImportFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("import: %w", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxImportFile+1))
	if err != nil {
		return nil, fmt.Errorf("import: read %s: %w", filepath.Base(path), err)
	}
	if len(data) > maxImportFile {
		return nil, fmt.Errorf("import: %s is larger than %d MB", filepath.Base(path), maxImportFile>>20)
	}
	return data, nil
}
