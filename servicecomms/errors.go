package servicecomms

import (
	"errors"
	"strings"

	"github.com/office365-go/office365"
)

// ErrRetired is matched by errors.Is when the service answered that the
// legacy Service Communications API is retired for this tenant ("Please use
// MSGraph to access this resource …"). Microsoft retired it from December
// 2021 in favour of the Microsoft Graph service health and communications
// API (/admin/serviceAnnouncement); such tenants get an HTTP 500 with that
// text on every call. The *office365.Error with the service's answer is
// still reachable with errors.As.
var ErrRetired = errors.New("servicecomms: the Office 365 Service Communications API is retired for this tenant; " +
	"use the Microsoft Graph service health and communications API " +
	"(https://learn.microsoft.com/graph/service-communications-concept-overview)")

// retiredError wraps the service's answer so that both ErrRetired and the
// *office365.Error are found in the chain.
type retiredError struct{ err *office365.Error }

func (e *retiredError) Error() string        { return ErrRetired.Error() + ": " + e.err.Error() }
func (e *retiredError) Unwrap() error        { return e.err }
func (e *retiredError) Is(target error) bool { return target == ErrRetired }

// classify turns the retired service's answer into an ErrRetired error and
// returns every other error unchanged.
func classify(err error) error {
	var apiErr *office365.Error
	if !errors.As(err, &apiErr) {
		return err
	}
	for _, s := range []string{apiErr.Message, apiErr.Excerpt} {
		if strings.Contains(strings.ToLower(s), "please use msgraph") {
			return &retiredError{err: apiErr}
		}
	}
	return err
}
