package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"

	"sakura/internal/account"
	"sakura/internal/errs"
	"sakura/internal/staff"
	"sakura/internal/store"
)

const userUsage = `Usage:
  sakura user add -login LOGIN -name NAME -role school|operator|admin [-city SLUG] [-school ID] [-password-stdin] [-db DSN]
  sakura user disable|enable|reset-factor -login LOGIN [-db DSN]
  sakura user list [-db DSN]

add prints a new random password unless -password-stdin reads one line from
standard input; the second factor is set up at the first sign-in.
reset-factor is for a lost phone: the app is set up anew at the next sign-in.
`

// userCommand keeps the back office's staff accounts from the command line:
// how the first administrator is made.
func userCommand(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, userUsage)
		return flag.ErrHelp
	}
	verb, rest := args[0], args[1:]

	db := defaultDB
	if v := getenv("SAKURA_DB"); v != "" {
		db = v
	}
	fs := flag.NewFlagSet("sakura user "+verb, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&db, "db", db, "database: a SQLite file path or a postgres:// URL (SAKURA_DB)")
	login := fs.String("login", "", "the staff member's login")
	var n staff.NewUser
	var role string
	var fromStdin bool
	if verb == "add" {
		fs.StringVar(&n.Name, "name", "", "the staff member's name, as parents' timelines show it")
		fs.StringVar(&role, "role", "", "school, operator or admin")
		fs.StringVar(&n.City, "city", "", "the city of school staff and operators")
		fs.Int64Var(&n.SchoolID, "school", 0, "the school id of school staff")
		fs.BoolVar(&fromStdin, "password-stdin", false, "read the password from standard input")
	}
	if err := fs.Parse(rest); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments: %q", fs.Args())
	}

	s, err := store.Open(ctx, db)
	if err != nil {
		return err
	}
	defer s.Close()
	if _, err := s.Migrate(ctx); err != nil {
		return err
	}
	svc := staff.New(staff.Config{Store: s, Hasher: account.NewHasher(account.DefaultParams, 1)})
	c := account.Client{UserAgent: "sakura user"}

	switch verb {
	case "add":
		r, ok := staff.ParseRole(role)
		if !ok {
			return fmt.Errorf("-role %q: want school, operator or admin", role)
		}
		n.Login, n.Role = *login, r
		if r == staff.RoleSchool {
			if _, err := s.School(ctx, n.City, n.SchoolID); err != nil {
				return fmt.Errorf("-city %q -school %d: %w", n.City, n.SchoolID, err)
			}
		} else if r == staff.RoleOperator {
			if _, err := s.City(ctx, n.City); err != nil {
				return fmt.Errorf("-city %q: %w", n.City, err)
			}
		}
		generated := !fromStdin
		if fromStdin {
			line, err := bufio.NewReader(os.Stdin).ReadString('\n')
			if err != nil && !errors.Is(err, io.EOF) {
				return fmt.Errorf("read the password: %w", err)
			}
			n.Password = strings.TrimRight(line, "\r\n")
		} else {
			n.Password = staff.NewPassword()
		}
		u, err := svc.AddUser(ctx, staff.CommandLine, n, c)
		if err != nil {
			return describeRefusal(err)
		}
		fmt.Fprintf(stdout, "added %s (%s)\n", u.Login, u.Role)
		if generated {
			fmt.Fprintf(stdout, "password: %s\n", n.Password)
		}
		return nil
	case "disable", "enable", "reset-factor":
		u, err := svc.UserByLogin(ctx, *login)
		if err != nil {
			return fmt.Errorf("-login %q: %w", *login, err)
		}
		ch := map[string]staff.Change{"disable": staff.Disable, "enable": staff.Enable, "reset-factor": staff.ResetFactor}[verb]
		if _, err := svc.ChangeUser(ctx, staff.CommandLine, u.ID, ch, c); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "%s: %s\n", verb, u.Login)
		return nil
	case "list":
		users, err := svc.Users(ctx)
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "LOGIN\tROLE\tCITY\tSCHOOL\tSECOND FACTOR\tDISABLED\tNAME")
		for _, u := range users {
			school := ""
			if u.SchoolID != 0 {
				school = fmt.Sprint(u.SchoolID)
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%v\t%v\t%s\n", u.Login, u.Role, u.City, school, u.Enrolled(), u.Disabled, u.Name)
		}
		return tw.Flush()
	default:
		fmt.Fprintf(stderr, "sakura user: unknown command %q\n\n%s", verb, userUsage)
		return flag.ErrHelp
	}
}

// describeRefusal turns the fields a form would mark into one line each.
func describeRefusal(err error) error {
	var fe account.FieldErrors
	if !errors.As(err, &fe) {
		return err
	}
	var lines []string
	for _, f := range fe {
		lines = append(lines, f.Field+": "+f.Key)
	}
	return &errs.Error{Kind: errs.Invalid, Key: strings.Join(lines, "; ")}
}
