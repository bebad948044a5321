// Package exampleenv decides how an example reaches Microsoft 365: a real
// tenant when the O365_* variables are set, otherwise the in-process fake
// from office365test.
//
// Variables:
//
//	O365_TENANT_ID      tenant GUID or domain
//	O365_CLIENT_ID      application (client) id
//	O365_CLIENT_SECRET  client secret
//	O365_MAILBOX        the mailbox to use (examples that read or send mail)
//	O365_CLOUD          public (default), gcc, gcc-high, dod or china
package exampleenv

import (
	"fmt"
	"os"
	"strings"

	"github.com/office365-go/office365"
	"github.com/office365-go/office365/auth"
	"github.com/office365-go/office365/office365test"
	"github.com/office365-go/office365/servicecomms"
)

// Env is a configured connection for an example.
type Env struct {
	// Credential authenticates requests.
	Credential auth.Credential
	// Options go to every client constructor (the cloud, or the fake's URL).
	Options []office365.Option
	// TenantID is the tenant to query (the fake's tenant when Fake is set).
	TenantID string
	// Mailbox is the mailbox to use (the fake's first user when Fake is set).
	Mailbox string
	// Fake is the in-process fake, nil for a real tenant.
	Fake *office365test.Fake
}

// Load reads the environment. With needMailbox, O365_MAILBOX is required for
// a real tenant. Without any O365_* credential variable it starts the fake
// and says so on stderr, prefixed by the example's name. fakeOpts (may be
// nil) configure the fake.
func Load(name string, needMailbox bool, fakeOpts *office365test.FakeOptions) (*Env, error) {
	vars := []string{"O365_TENANT_ID", "O365_CLIENT_ID", "O365_CLIENT_SECRET"}
	if needMailbox {
		vars = append(vars, "O365_MAILBOX")
	}
	var set, missing []string
	for _, v := range vars {
		if os.Getenv(v) != "" {
			set = append(set, v)
		} else {
			missing = append(missing, v)
		}
	}
	switch {
	case len(missing) == 0:
		return loadReal()
	case len(set) > 0:
		return nil, fmt.Errorf("%s set but %s missing (set all, or none to use the in-process fake)",
			strings.Join(set, ", "), strings.Join(missing, ", "))
	}
	f := office365test.Start(fakeOpts)
	env := &Env{
		Credential: auth.StaticToken("fake-token"),
		Options:    []office365.Option{office365.WithBaseURL(f.URL())},
		TenantID:   "contoso.onmicrosoft.com",
		Fake:       f,
	}
	if me := f.Mailbox.Me(); me != nil {
		env.Mailbox = me.UPN
	}
	fmt.Fprintf(os.Stderr, "%s: %s not set; using the in-process fake services at %s\n\n",
		name, strings.Join(vars, ", "), f.URL())
	return env, nil
}

func loadReal() (*Env, error) {
	cloud := office365.CloudPublic
	if n := os.Getenv("O365_CLOUD"); n != "" {
		var err error
		if cloud, err = office365.CloudByName(n); err != nil {
			return nil, err
		}
	}
	tenant := os.Getenv("O365_TENANT_ID")
	cred, err := auth.NewClientSecretCredential(tenant, os.Getenv("O365_CLIENT_ID"), os.Getenv("O365_CLIENT_SECRET"),
		&auth.CredentialOptions{Cloud: cloud})
	if err != nil {
		return nil, err
	}
	return &Env{
		Credential: cred,
		Options:    []office365.Option{office365.WithCloud(cloud)},
		TenantID:   tenant,
		Mailbox:    os.Getenv("O365_MAILBOX"),
	}, nil
}

// IsFake reports whether the example runs against the in-process fake.
func (e *Env) IsFake() bool { return e.Fake != nil }

// Close stops the fake, if any.
func (e *Env) Close() {
	if e.Fake != nil {
		e.Fake.Close()
	}
}

// ServiceComms loads the environment (see Load) and builds a Service
// Communications client for its tenant. Close the Env when done.
func ServiceComms(name string) (*servicecomms.Client, *Env, error) {
	return ServiceCommsClient(name, false)
}
