package main

import (
	"context"
	"fmt"
	"io"

	"sakura/internal/store"
)

// migrate brings the schema of the database up to date and says what it did.
func migrate(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	c, err := parseConfig("migrate", args, getenv, stderr, false)
	if err != nil {
		return err
	}

	db, err := store.Open(ctx, c.DB)
	if err != nil {
		return err
	}
	defer db.Close()

	applied, err := db.Migrate(ctx)
	if err != nil {
		return err
	}
	for _, m := range applied {
		fmt.Fprintf(stdout, "applied %s\n", m.Source)
	}
	current, _, err := db.SchemaVersion(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s schema at version %d\n", db.Dialect(), current)
	return nil
}
