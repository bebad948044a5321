package servicecomms

import (
	"context"
	"fmt"
	"iter"
	"net/http"
	"strings"
	"time"

	"github.com/office365-go/office365"
	"github.com/office365-go/office365/internal/odata"
	"github.com/office365-go/office365/internal/transport"
)

// v1Backend speaks the retired Service Communications API.
type v1Backend struct {
	p *transport.Pipeline
}

func (b *v1Backend) services(ctx context.Context) ([]Service, error) {
	return odata.Collection[Service](ctx, b.p, transport.Request{Path: "/Services"})
}

func (b *v1Backend) currentStatus(ctx context.Context, o StatusOptions) ([]WorkloadStatus, error) {
	return odata.Collection[WorkloadStatus](ctx, b.p, transport.Request{Path: "/CurrentStatus", Query: o.v1Query()})
}

func (b *v1Backend) historicalStatus(ctx context.Context, o StatusOptions) ([]WorkloadStatus, error) {
	return odata.Collection[WorkloadStatus](ctx, b.p, transport.Request{Path: "/HistoricalStatus", Query: o.v1Query()})
}

func (o StatusOptions) v1Query() string {
	var f filter
	if o.Workload != "" {
		f.eq("Workload", o.Workload)
	}
	if !o.StatusTime.IsZero() {
		f.cmpTime("StatusTime", "ge", o.StatusTime)
	}
	return office365.Query{Filter: f.String(), Select: o.Select}.Encode()
}

func (o MessageOptions) v1Query() string {
	var f filter
	if o.Workload != "" {
		f.eq("Workload", o.Workload)
	}
	if !o.StartTime.IsZero() {
		f.cmpTime("StartTime", "ge", o.StartTime)
	}
	if !o.EndTime.IsZero() {
		f.cmpTime("EndTime", "le", o.EndTime)
	}
	if o.MessageType != "" {
		f = append(f, "MessageType eq "+messageTypeEnum+office365.QuoteString(string(o.MessageType)))
	}
	if o.ID != "" {
		f.eq("Id", o.ID)
	}
	return office365.Query{Filter: f.String(), Select: o.Select}.Encode()
}

func (b *v1Backend) messages(ctx context.Context, o MessageOptions, size int) iter.Seq2[*Message, error] {
	return odata.TopSkipItems[*Message](ctx, b.p, transport.Request{Path: "/Messages", Query: o.v1Query()}, size, odata.MaxItems(odata.ServiceCommsMaxItems))
}

func (b *v1Backend) message(ctx context.Context, id string) (*Message, error) {
	req := transport.Request{Path: "/Messages", Query: MessageOptions{ID: id}.v1Query()}
	var page odata.Page[*Message]
	if err := b.p.DoJSON(ctx, &req, &page); err != nil {
		return nil, err
	}
	// The service ignores filters it cannot parse: check what came back.
	for _, m := range page.Value {
		if m != nil && m.ID == id {
			return m, nil
		}
	}
	for _, m := range page.Value {
		if m != nil && strings.EqualFold(m.ID, id) {
			return m, nil
		}
	}
	u, _ := b.p.URL(&req)
	return nil, &office365.Error{
		StatusCode: http.StatusNotFound,
		Code:       "MessageNotFound",
		Message:    fmt.Sprintf("no message with Id %q (the service answered an empty collection)", id),
		Method:     http.MethodGet,
		URL:        transport.RedactURL(u),
	}
}

// filter collects "and"-joined $filter comparisons.
type filter []string

func (f *filter) eq(field, value string) {
	*f = append(*f, field+" eq "+office365.QuoteString(value))
}

func (f *filter) cmpTime(field, op string, t time.Time) {
	*f = append(*f, field+" "+op+" "+formatFilterTime(t))
}

func (f filter) String() string { return strings.Join(f, " and ") }

// checkSelect rejects $select entries that are not property names: the
// service would silently ignore them.
func checkSelect(sel []string) error {
	for _, s := range sel {
		if !isIdentifier(s) {
			return fmt.Errorf("servicecomms: invalid $select property %q", s)
		}
	}
	return nil
}

func isIdentifier(s string) bool {
	if s == "" {
		return false
	}
	for i, r := range s {
		switch {
		case r == '_', 'a' <= r && r <= 'z', 'A' <= r && r <= 'Z':
		case '0' <= r && r <= '9' && i > 0:
		default:
			return false
		}
	}
	return true
}
