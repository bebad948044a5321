// Package exampleenv decides how an example reaches Microsoft 365: a real
// tenant when the environment configures a credential (see
// auth.NewEnvironmentCredential), otherwise the in-process fake from
// office365test.
//
// Variables:
//
//	O365_TENANT_ID      tenant GUID or domain
//	O365_CLIENT_ID      application (client) id
//	O365_CLIENT_SECRET  client secret (or O365_CLIENT_CERTIFICATE_PATH,
//	                    O365_FEDERATED_TOKEN_FILE)
//	O365_MAILBOX        the mailbox to use (examples that read or send mail)
//	O365_CLOUD          public (default), gcc, gcc-high, dod or china
//
// The Azure SDK's AZURE_TENANT_ID, AZURE_CLIENT_ID, AZURE_CLIENT_SECRET, ...
// work as well.
package exampleenv

import (
	"errors"
	"fmt"
	"os"

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
// a real tenant. Without any credential variable it starts the fake and says
// so on stderr, prefixed by the example's name. fakeOpts (may be nil)
// configure the fake.
func Load(name string, needMailbox bool, fakeOpts *office365test.FakeOptions) (*Env, error) {
	mailbox := os.Getenv("O365_MAILBOX")
	cred, err := auth.NewEnvironmentCredential(nil)
	var none *auth.EnvironmentError
	switch {
	case err == nil:
		if needMailbox && mailbox == "" {
			return nil, errors.New("O365_MAILBOX missing: set the mailbox the example uses")
		}
		return &Env{
			Credential: cred,
			Options:    []office365.Option{office365.WithCloud(cred.Cloud())},
			TenantID:   cred.TenantID(),
			Mailbox:    mailbox,
		}, nil
	case !errors.As(err, &none):
		return nil, err
	case len(none.Set) > 0 || (needMailbox && mailbox != ""):
		return nil, fmt.Errorf("%w; set them all, or none to use the in-process fake", err)
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
	fmt.Fprintf(os.Stderr, "%s: O365_TENANT_ID, O365_CLIENT_ID and O365_CLIENT_SECRET not set; using the in-process fake services at %s\n\n",
		name, f.URL())
	return env, nil
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
