package office365

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
)

// Cloud describes one Microsoft 365 national cloud: where tokens are issued
// and where each service lives. Service clients pick their host from the
// configured Cloud unless WithBaseURL overrides it.
//
// The predefined clouds cover the public cloud, US Government (GCC, GCC High,
// DoD) and China (21Vianet). Define a custom one as a literal and check it
// with Validate; WithCloud validates it too.
type Cloud struct {
	// Name identifies the cloud in logs and errors.
	Name string
	// LoginAuthority is the Entra ID (Azure AD) host that issues tokens,
	// e.g. "https://login.microsoftonline.com". Credentials append the tenant.
	LoginAuthority string
	// ManageHost is the Office 365 Management APIs host (Service
	// Communications), e.g. "https://manage.office.com".
	ManageHost string
	// OutlookHost is the Outlook REST API host, e.g. "https://outlook.office.com".
	OutlookHost string
	// GraphHost is the Microsoft Graph host, e.g. "https://graph.microsoft.com".
	// Clients built with WithGraph send to "{GraphHost}/v1.0" and ask for
	// "{GraphHost}/.default" tokens.
	GraphHost string
}

// The predefined clouds. Hosts follow Microsoft's national-cloud endpoint
// tables for the Office 365 Management APIs, Outlook REST and Microsoft Graph.
var (
	// CloudPublic is the worldwide commercial cloud.
	CloudPublic = Cloud{
		Name:           "public",
		LoginAuthority: "https://login.microsoftonline.com",
		ManageHost:     "https://manage.office.com",
		OutlookHost:    "https://outlook.office.com",
		GraphHost:      "https://graph.microsoft.com",
	}
	// CloudGCC is the US Government Community Cloud (moderate), which signs in
	// through the public authority but has its own Management API host.
	CloudGCC = Cloud{
		Name:           "gcc",
		LoginAuthority: "https://login.microsoftonline.com",
		ManageHost:     "https://manage-gcc.office.com",
		OutlookHost:    "https://outlook.office.com",
		GraphHost:      "https://graph.microsoft.com",
	}
	// CloudGCCHigh is the US Government Community Cloud High.
	CloudGCCHigh = Cloud{
		Name:           "gcc-high",
		LoginAuthority: "https://login.microsoftonline.us",
		ManageHost:     "https://manage.office365.us",
		OutlookHost:    "https://outlook.office365.us",
		GraphHost:      "https://graph.microsoft.us",
	}
	// CloudDoD is the US Department of Defense cloud.
	CloudDoD = Cloud{
		Name:           "dod",
		LoginAuthority: "https://login.microsoftonline.us",
		ManageHost:     "https://manage.protection.apps.mil",
		OutlookHost:    "https://outlook-dod.office365.us",
		GraphHost:      "https://dod-graph.microsoft.us",
	}
	// CloudChina is Office 365 operated by 21Vianet.
	CloudChina = Cloud{
		Name:           "china",
		LoginAuthority: "https://login.chinacloudapi.cn",
		ManageHost:     "https://manage.office.cn",
		OutlookHost:    "https://partner.outlook.cn",
		GraphHost:      "https://microsoftgraph.chinacloudapi.cn",
	}
)

// Clouds lists the predefined clouds.
func Clouds() []Cloud {
	return []Cloud{CloudPublic, CloudGCC, CloudGCCHigh, CloudDoD, CloudChina}
}

// CloudByName returns the predefined cloud with the given name
// (case-insensitive), as used in configuration files and environment
// variables: "public", "gcc", "gcc-high", "dod" or "china".
func CloudByName(name string) (Cloud, error) {
	for _, c := range Clouds() {
		if strings.EqualFold(c.Name, name) {
			return c, nil
		}
	}
	return Cloud{}, fmt.Errorf("office365: unknown cloud %q (want public, gcc, gcc-high, dod or china)", name)
}

// Validate reports whether every host of the cloud is an absolute https URL
// (http is accepted only for loopback hosts, for local testing). GraphHost
// may be left empty by clouds that are never used with WithGraph.
func (c Cloud) Validate() error {
	var errs []error
	for _, h := range []struct{ name, value string }{
		{"LoginAuthority", c.LoginAuthority},
		{"ManageHost", c.ManageHost},
		{"OutlookHost", c.OutlookHost},
		{"GraphHost", c.GraphHost},
	} {
		if h.name == "GraphHost" && h.value == "" {
			continue // optional: only clients built WithGraph need it
		}
		if err := validateServiceURL(h.value); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", h.name, err))
		}
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("office365: invalid cloud %q: %w", c.Name, err)
	}
	return nil
}

// validateServiceURL checks that u is an absolute URL a bearer token may be
// sent to: https anywhere, http only on loopback.
func validateServiceURL(u string) error {
	if u == "" {
		return errors.New("empty URL")
	}
	p, err := url.Parse(u)
	if err != nil {
		return err
	}
	if p.Host == "" {
		return fmt.Errorf("%q is not an absolute URL", u)
	}
	switch p.Scheme {
	case "https":
	case "http":
		if !IsLoopbackHost(p.Hostname()) {
			return fmt.Errorf("%q uses plain http on a non-loopback host; tokens would be sent in clear text", u)
		}
	default:
		return fmt.Errorf("%q: unsupported scheme %q", u, p.Scheme)
	}
	if p.User != nil {
		return fmt.Errorf("URL must not carry user information")
	}
	return nil
}
