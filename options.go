package office365

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Option configures a service client. Options are validated when the client
// is constructed: New returns the first invalid option's error.
type Option func(*Config) error

// Config is the resolved configuration of a client. Service packages build it
// with NewConfig; applications normally only pass Options.
type Config struct {
	// HTTPClient sends requests. Its Timeout should be zero for streaming
	// clients. Default: a client with http.DefaultTransport.
	HTTPClient *http.Client
	// BaseURL, when set, replaces the service root derived from Cloud (for
	// the fake server, a proxy or a test server).
	BaseURL string
	// Cloud selects login authority and service hosts. Default CloudPublic.
	Cloud Cloud
	// Retry controls retries of failed requests, as given to WithRetry;
	// zero fields mean the defaults (see RetryOptions.Normalized).
	Retry RetryOptions
	// Logger receives request and retry logs. Default: discard.
	Logger *slog.Logger
	// UserAgent is prepended to the SDK's own User-Agent product token.
	UserAgent string
	// Header holds extra headers added to every request.
	Header http.Header
	// MaxResponseBytes caps how much of a response body is decoded.
	MaxResponseBytes int64
	// Graph selects the Microsoft Graph v1.0 dialect (see WithGraph).
	Graph bool

	values map[any]any
}

// RetryOptions controls the retry policy of the request pipeline.
type RetryOptions struct {
	// MaxRetries is how many times a failed request is retried. Zero means
	// the default (3); a negative value disables retries.
	MaxRetries int
	// BaseDelay is the first backoff delay before jitter. Default 800ms.
	BaseDelay time.Duration
	// MaxDelay caps every single delay. If the service asks (Retry-After) to
	// wait longer than MaxDelay, the error is returned with RetryAfter set
	// instead of sleeping. Default 60s.
	MaxDelay time.Duration
}

// Defaults of the request pipeline.
const (
	DefaultMaxRetries       = 3
	DefaultRetryBaseDelay   = 800 * time.Millisecond
	DefaultRetryMaxDelay    = 60 * time.Second
	DefaultMaxResponseBytes = 64 << 20
)

// Normalized returns r with defaults filled in.
func (r RetryOptions) Normalized() RetryOptions {
	if r.MaxRetries == 0 {
		r.MaxRetries = DefaultMaxRetries
	} else if r.MaxRetries < 0 {
		r.MaxRetries = 0
	}
	if r.BaseDelay <= 0 {
		r.BaseDelay = DefaultRetryBaseDelay
	}
	if r.MaxDelay <= 0 {
		r.MaxDelay = DefaultRetryMaxDelay
	}
	return r
}

// NewConfig applies opts over the defaults and validates the result.
func NewConfig(opts ...Option) (*Config, error) {
	c := &Config{Cloud: CloudPublic, MaxResponseBytes: DefaultMaxResponseBytes}
	for _, opt := range opts {
		if opt == nil {
			continue
		}
		if err := opt(c); err != nil {
			return nil, err
		}
	}
	if c.Graph && c.BaseURL == "" && c.Cloud.GraphHost == "" {
		return nil, fmt.Errorf("office365: WithGraph: cloud %q has no GraphHost", c.Cloud.Name)
	}
	if c.HTTPClient == nil {
		c.HTTPClient = &http.Client{}
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	return c, nil
}

// Value returns a package-specific setting stored with SetValue, or nil.
func (c *Config) Value(key any) any { return c.values[key] }

// SetValue stores a package-specific setting. Service packages use it to
// define their own Options (an unexported key type avoids collisions).
func (c *Config) SetValue(key, value any) {
	if c.values == nil {
		c.values = make(map[any]any)
	}
	c.values[key] = value
}

// ServiceRoot returns BaseURL if set, otherwise host (one of the Cloud's
// hosts) joined with path, without a trailing slash.
func (c *Config) ServiceRoot(host, path string) string {
	if c.BaseURL != "" {
		return strings.TrimRight(c.BaseURL, "/") + path
	}
	return strings.TrimRight(host, "/") + path
}

// WithHTTPClient sends requests through hc instead of a default client. Its
// Transport, proxy and TLS settings are used as is; the client is never
// modified.
func WithHTTPClient(hc *http.Client) Option {
	return func(c *Config) error {
		if hc == nil {
			return errors.New("office365: WithHTTPClient: nil client")
		}
		c.HTTPClient = hc
		return nil
	}
}

// WithBaseURL points a client at another root, such as the fake server from
// office365test, a proxy or a test server. The URL must be absolute and use
// https, or http on a loopback address. Paths are appended to it: for
// Outlook "{base}/api/v2.0/me/messages", for Service Communications
// "{base}/api/v1.0/{tenant}/ServiceComms/Services".
func WithBaseURL(u string) Option {
	return func(c *Config) error {
		if err := validateServiceURL(u); err != nil {
			return fmt.Errorf("office365: WithBaseURL: %w", err)
		}
		p, _ := url.Parse(u)
		if p.RawQuery != "" || p.Fragment != "" {
			return fmt.Errorf("office365: WithBaseURL: %q must not have a query or fragment", u)
		}
		c.BaseURL = strings.TrimRight(u, "/")
		return nil
	}
}

// WithCloud selects a national cloud (default CloudPublic).
func WithCloud(cloud Cloud) Option {
	return func(c *Config) error {
		if err := cloud.Validate(); err != nil {
			return err
		}
		c.Cloud = cloud
		return nil
	}
}

// WithRetry replaces the retry policy.
func WithRetry(r RetryOptions) Option {
	return func(c *Config) error {
		if r.BaseDelay < 0 || r.MaxDelay < 0 {
			return errors.New("office365: WithRetry: negative delay")
		}
		if r.MaxDelay > 0 && r.BaseDelay > r.MaxDelay {
			return errors.New("office365: WithRetry: BaseDelay exceeds MaxDelay")
		}
		c.Retry = r
		return nil
	}
}

// WithLogger sends request logs (Debug) and retry logs (Warn) to l. Logs
// never contain bodies, tokens or the Authorization header.
func WithLogger(l *slog.Logger) Option {
	return func(c *Config) error {
		if l == nil {
			return errors.New("office365: WithLogger: nil logger")
		}
		c.Logger = l
		return nil
	}
}

// WithUserAgent prepends a product token, e.g. "contoso-sync/1.2", to the
// SDK's User-Agent.
func WithUserAgent(ua string) Option {
	return func(c *Config) error {
		ua = strings.TrimSpace(ua)
		if ua == "" || strings.ContainsAny(ua, "\r\n") {
			return fmt.Errorf("office365: WithUserAgent: invalid value %q", ua)
		}
		c.UserAgent = ua
		return nil
	}
}

// WithHeader adds a header to every request. Headers the pipeline owns
// (Authorization, User-Agent, client-request-id) cannot be set this way.
func WithHeader(key, value string) Option {
	return func(c *Config) error {
		k := http.CanonicalHeaderKey(key)
		switch k {
		case "Authorization", "User-Agent", "Client-Request-Id", "Return-Client-Request-Id":
			return fmt.Errorf("office365: WithHeader: %s is set by the client", k)
		}
		if key == "" || strings.ContainsAny(key+value, "\r\n") {
			return fmt.Errorf("office365: WithHeader: invalid header %q", key)
		}
		if c.Header == nil {
			c.Header = make(http.Header)
		}
		c.Header.Add(k, value)
		return nil
	}
}

// WithMaxResponseSize caps how many bytes of a response body are read when
// decoding it (default 64 MiB). Larger responses fail with an error instead
// of exhausting memory. Raw downloads (photos, attachment content, streams)
// are not capped.
func WithMaxResponseSize(n int64) Option {
	return func(c *Config) error {
		if n <= 0 {
			return fmt.Errorf("office365: WithMaxResponseSize: %d is not positive", n)
		}
		c.MaxResponseBytes = n
		return nil
	}
}

// WithGraph serves the client's calls by Microsoft Graph v1.0 instead of the
// retired API it was written for. Constructors, typed calls and results stay
// the same; the client sends to "{Cloud.GraphHost}/v1.0" (or
// "{BaseURL}/v1.0" with WithBaseURL), asks for "{Cloud.GraphHost}/.default"
// tokens unless the package's scope option names others, and reads Graph's
// error bodies, paging and throttling. Tokens issued for the retired hosts
// are not valid for Graph, and Graph needs its own permissions: each
// package's documentation lists them.
func WithGraph() Option {
	return func(c *Config) error {
		c.Graph = true
		return nil
	}
}

// GraphRoot returns the Microsoft Graph v1.0 root: "{BaseURL}/v1.0" when a
// base URL is set, otherwise "{Cloud.GraphHost}/v1.0".
func (c *Config) GraphRoot() string { return c.ServiceRoot(c.Cloud.GraphHost, "/v1.0") }

// GraphScope returns "{Cloud.GraphHost}/{permission}", the form of a Graph
// scope for the configured cloud; permission ".default" asks for every
// application permission granted to the app.
func (c *Config) GraphScope(permission string) string {
	return strings.TrimRight(c.Cloud.GraphHost, "/") + "/" + strings.TrimLeft(permission, "/")
}

// IsLoopbackHost reports whether host (without port) names the local machine.
func IsLoopbackHost(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(strings.Trim(host, "[]"))
	return ip != nil && ip.IsLoopback()
}
