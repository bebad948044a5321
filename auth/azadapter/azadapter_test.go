package azadapter_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/runtime"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	office365 "github.com/office365-go/office365"
	"github.com/office365-go/office365/auth"
	"github.com/office365-go/office365/auth/azadapter"
	"github.com/office365-go/office365/office365test"
	"github.com/office365-go/office365/servicecomms"
)

const (
	tenant      = "contoso.onmicrosoft.com"
	clientID    = "5f1c7d1e-0000-4000-8000-00000000c1d0"
	secret      = "Sup3r~Secr3t.Value_that-must-not-leak"
	manageScope = "https://manage.office.com/.default"
)

// fakeTC is an azcore.TokenCredential that counts its calls and hands out
// what next returns.
type fakeTC struct {
	calls atomic.Int32
	mu    sync.Mutex
	next  func(n int32, opts policy.TokenRequestOptions) (azcore.AccessToken, error)
}

func (f *fakeTC) GetToken(ctx context.Context, opts policy.TokenRequestOptions) (azcore.AccessToken, error) {
	n := f.calls.Add(1)
	f.mu.Lock()
	next := f.next
	f.mu.Unlock()
	return next(n, opts)
}

// tokens returns a fakeTC issuing "tok-<n>" tokens that live for lifetime.
func tokens(lifetime time.Duration) *fakeTC {
	return &fakeTC{next: func(n int32, _ policy.TokenRequestOptions) (azcore.AccessToken, error) {
		return azcore.AccessToken{Token: fmt.Sprintf("tok-%d", n), ExpiresOn: time.Now().Add(lifetime)}, nil
	}}
}

func TestFromTokenCredentialCaches(t *testing.T) {
	t.Parallel()
	tc := tokens(time.Hour)
	var seen []string
	inner := tc.next
	tc.next = func(n int32, opts policy.TokenRequestOptions) (azcore.AccessToken, error) {
		seen = append(seen, opts.Scopes...)
		return inner(n, opts)
	}
	cred := azadapter.FromTokenCredential(tc)
	ctx := context.Background()

	tok, err := cred.Token(ctx, []string{manageScope})
	require.NoError(t, err)
	assert.Equal(t, "tok-1", tok.AccessToken)
	assert.Equal(t, "Bearer", tok.TokenType)
	assert.WithinDuration(t, time.Now().Add(time.Hour), tok.Expiry, time.Minute)
	again, err := cred.Token(ctx, []string{manageScope})
	require.NoError(t, err)
	assert.Equal(t, "tok-1", again.AccessToken)
	assert.EqualValues(t, 1, tc.calls.Load(), "served from the cache")

	other, err := cred.Token(ctx, []string{"https://outlook.office.com/.default"})
	require.NoError(t, err)
	assert.Equal(t, "tok-2", other.AccessToken, "each scope list has its own token")
	assert.Equal(t, []string{manageScope, "https://outlook.office.com/.default"}, seen)

	var r auth.Refresher = cred
	fresh, err := r.Refresh(ctx, []string{manageScope})
	require.NoError(t, err)
	assert.Equal(t, "tok-3", fresh.AccessToken)
	after, err := cred.Token(ctx, []string{manageScope})
	require.NoError(t, err)
	assert.Equal(t, "tok-3", after.AccessToken)
}

func TestFromTokenCredentialRenewsBeforeExpiry(t *testing.T) {
	t.Parallel()
	// Two minutes left is inside the three-minute leeway: renewed every time.
	tc := tokens(2 * time.Minute)
	cred := azadapter.FromTokenCredential(tc)
	for range 3 {
		_, err := cred.Token(context.Background(), []string{manageScope})
		require.NoError(t, err)
	}
	assert.EqualValues(t, 3, tc.calls.Load())

	// A RefreshOn in the past renews too, however long the token lives.
	tc = &fakeTC{next: func(n int32, _ policy.TokenRequestOptions) (azcore.AccessToken, error) {
		return azcore.AccessToken{Token: "t", ExpiresOn: time.Now().Add(time.Hour), RefreshOn: time.Now().Add(-time.Second)}, nil
	}}
	cred = azadapter.FromTokenCredential(tc)
	for range 2 {
		_, err := cred.Token(context.Background(), []string{manageScope})
		require.NoError(t, err)
	}
	assert.EqualValues(t, 2, tc.calls.Load())
}

func TestFromTokenCredentialConcurrent(t *testing.T) {
	t.Parallel()
	tc := tokens(time.Hour)
	cred := azadapter.FromTokenCredential(tc)
	var wg sync.WaitGroup
	for range 16 {
		wg.Go(func() {
			tok, err := cred.Token(context.Background(), []string{manageScope})
			assert.NoError(t, err)
			assert.Equal(t, "tok-1", tok.AccessToken)
		})
	}
	wg.Wait()
	assert.EqualValues(t, 1, tc.calls.Load(), "concurrent callers share one GetToken")
}

func TestFromTokenCredentialErrors(t *testing.T) {
	t.Parallel()
	boom := errors.New("managed identity endpoint unreachable")
	for name, tc := range map[string]struct {
		at   azcore.AccessToken
		err  error
		want error
	}{
		"error":   {err: boom, want: boom},
		"empty":   {at: azcore.AccessToken{ExpiresOn: time.Now().Add(time.Hour)}, want: auth.ErrNoToken},
		"expired": {at: azcore.AccessToken{Token: "old", ExpiresOn: time.Now().Add(-time.Minute)}, want: auth.ErrExpiredToken},
	} {
		cred := azadapter.FromTokenCredential(&fakeTC{next: func(int32, policy.TokenRequestOptions) (azcore.AccessToken, error) {
			return tc.at, tc.err
		}})
		_, err := cred.Token(context.Background(), []string{manageScope})
		assert.ErrorIs(t, err, tc.want, name)
	}

	tc := tokens(time.Hour)
	cred := azadapter.FromTokenCredential(tc)
	_, err := cred.Token(context.Background(), nil)
	assert.ErrorContains(t, err, "no scopes")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err = cred.Token(ctx, []string{manageScope})
	assert.ErrorIs(t, err, context.Canceled)
	assert.Zero(t, tc.calls.Load())

	_, err = azadapter.FromTokenCredential(nil).Token(context.Background(), []string{manageScope})
	assert.ErrorContains(t, err, "nil TokenCredential")
}

// entraCredential is a client-secret credential against a fake Entra.
func entraCredential(t *testing.T) (*office365test.Entra, *auth.ClientSecretCredential) {
	t.Helper()
	e := office365test.StartEntra(t)
	e.AddClient(clientID, secret)
	cred, err := auth.NewClientSecretCredential(tenant, clientID, secret, &auth.CredentialOptions{
		AuthorityHost: e.URL(), HTTPClient: e.HTTPClient(), DisableInstanceDiscovery: true,
	})
	require.NoError(t, err)
	return e, cred
}

// An Azure SDK pipeline (BearerTokenPolicy) authenticates with a credential
// of package auth.
func TestToTokenCredentialInAzurePipeline(t *testing.T) {
	t.Parallel()
	e, cred := entraCredential(t)
	var authorized atomic.Int32
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, ok := e.Authenticate(r); !ok {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		authorized.Add(1)
		w.WriteHeader(http.StatusOK)
	}))
	t.Cleanup(srv.Close)

	pl := runtime.NewPipeline("azadaptertest", "v0.0.1", runtime.PipelineOptions{
		PerRetry: []policy.Policy{runtime.NewBearerTokenPolicy(azadapter.ToTokenCredential(cred), []string{manageScope}, nil)},
	}, &policy.ClientOptions{Transport: srv.Client()})
	for range 2 {
		req, err := runtime.NewRequest(context.Background(), http.MethodGet, srv.URL+"/resource")
		require.NoError(t, err)
		resp, err := pl.Do(req)
		require.NoError(t, err)
		require.NoError(t, resp.Body.Close())
		assert.Equal(t, http.StatusOK, resp.StatusCode)
	}
	assert.EqualValues(t, 2, authorized.Load())
	assert.Equal(t, 1, e.TokenRequests(), "the token is cached")
}

func TestToTokenCredentialGetToken(t *testing.T) {
	t.Parallel()
	e, cred := entraCredential(t)
	tc := azadapter.ToTokenCredential(cred)
	ctx := context.Background()

	at, err := tc.GetToken(ctx, policy.TokenRequestOptions{Scopes: []string{manageScope}, TenantID: "ignored", EnableCAE: true})
	require.NoError(t, err)
	assert.True(t, e.ValidToken(at.Token))
	assert.WithinDuration(t, time.Now().Add(time.Hour), at.ExpiresOn, time.Minute)

	_, err = tc.GetToken(ctx, policy.TokenRequestOptions{Scopes: []string{manageScope}, Claims: `{"access_token":{"acrs":{"essential":true,"value":"c1"}}}`})
	assert.ErrorIs(t, err, azadapter.ErrClaimsChallenge)
	_, err = tc.GetToken(ctx, policy.TokenRequestOptions{})
	assert.ErrorContains(t, err, "no scopes")
	_, err = azadapter.ToTokenCredential(nil).GetToken(ctx, policy.TokenRequestOptions{Scopes: []string{manageScope}})
	assert.ErrorContains(t, err, "nil Credential")

	// The credential's errors come through unchanged (and redacted).
	e2 := office365test.StartEntra(t)
	e2.AddClient(clientID, "another-secret")
	wrong, err := auth.NewClientSecretCredential(tenant, clientID, secret, &auth.CredentialOptions{
		AuthorityHost: e2.URL(), HTTPClient: e2.HTTPClient(), DisableInstanceDiscovery: true,
	})
	require.NoError(t, err)
	_, err = azadapter.ToTokenCredential(wrong).GetToken(ctx, policy.TokenRequestOptions{Scopes: []string{manageScope}})
	var ae *auth.AuthenticationError
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, "invalid_client", ae.Code)
	assert.NotContains(t, err.Error(), secret)
}

// A TokenCredential (here one of ours, adapted there and back) works with
// this module's clients.
func TestFromTokenCredentialWithServiceClient(t *testing.T) {
	t.Parallel()
	e, cred := entraCredential(t)
	fake := office365test.Start(&office365test.FakeOptions{Server: []office365test.ServerOption{office365test.WithTokenValidator(e.ValidToken)}})
	t.Cleanup(fake.Close)

	client, err := servicecomms.New(tenant, azadapter.FromTokenCredential(azadapter.ToTokenCredential(cred)), office365.WithBaseURL(fake.URL()))
	require.NoError(t, err)
	services, err := client.Services(context.Background())
	require.NoError(t, err)
	assert.NotEmpty(t, services)
	_, err = client.CurrentStatus(context.Background(), nil)
	require.NoError(t, err)
	assert.Equal(t, 1, e.TokenRequests())
}
