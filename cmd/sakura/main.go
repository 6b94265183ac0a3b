// Command sakura runs the Sakura school-services portal: the public portal,
// the personal cabinet, the back office and the open-data API, on SQLite or
// PostgreSQL.
//
//	sakura serve   [-addr HOST:PORT] [-db DSN] [-demo]
//	sakura migrate [-db DSN]
//	sakura import  schools|addresses|catchments|teachers|districts|people -city SLUG [-db DSN] FILE
//	sakura user    add|disable|enable|reset-factor|list [-db DSN] …
//
// Every flag also reads an environment variable (SAKURA_ADDR, SAKURA_DB,
// SAKURA_DEMO); a flag given on the command line wins.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	if errors.Is(err, flag.ErrHelp) {
		os.Exit(2)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "sakura:", err)
		os.Exit(1)
	}
}

const usage = `Sakura, the school-services portal.

Usage:
  sakura serve   [-addr HOST:PORT] [-db DSN] [-demo]   run the portal
  sakura migrate [-db DSN]                             bring the schema up to date
  sakura import  KIND -city SLUG [-db DSN] FILE        import a city's data (KIND: schools,
                 addresses, catchments, teachers, districts, people)
  sakura user    add|disable|enable|reset-factor|list   keep the back office's staff accounts

DSN is a file path (SQLite) or a postgres:// URL (PostgreSQL).
Run "sakura COMMAND -h" for the settings of a command.
`

// run is the whole program with its surroundings passed in, so that tests
// can run it in-process.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return flag.ErrHelp
	}

	switch cmd, rest := args[0], args[1:]; cmd {
	case "serve":
		return serve(ctx, rest, getenv, stdout, stderr)
	case "migrate":
		return migrate(ctx, rest, getenv, stdout, stderr)
	case "import":
		return importData(ctx, rest, getenv, stdout, stderr)
	case "user":
		return userCommand(ctx, rest, getenv, stdout, stderr)
	case "help", "-h", "-help", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	default:
		fmt.Fprintf(stderr, "sakura: unknown command %q\n\n%s", cmd, usage)
		return flag.ErrHelp
	}
}
