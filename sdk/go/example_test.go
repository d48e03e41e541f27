package gatehouse_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"os"

	"github.com/gatehouse-iam/gatehouse/api/gen"
	gatehouse "github.com/gatehouse-iam/gatehouse/sdk/go"
)

// List a tenant's users page by page with an Admin API key.
func ExampleNewAdminClient() {
	gh, err := gatehouse.NewAdminClient(gatehouse.AdminOptions{
		BaseURL: "https://id.example.com",
		Token:   os.Getenv("GATEHOUSE_ADMIN_TOKEN"),
	})
	if err != nil {
		log.Fatal(err)
	}
	limit := 50
	params := &gen.ListUsersParams{Limit: &limit}
	for {
		resp, err := gh.ListUsersWithResponse(context.Background(), params)
		if err != nil {
			log.Fatal(err)
		}
		if resp.JSON200 == nil {
			log.Fatalf("list users: %d %s", resp.StatusCode(), resp.Body)
		}
		for _, u := range resp.JSON200.Items {
			fmt.Println(u.ID, u.Email)
		}
		next, err := resp.JSON200.NextCursor.Get()
		if err != nil { // null: the last page
			break
		}
		params.Cursor = &next
	}
}

// With Tenant, the same calls act on that tenant (/admin/v1/tenants/acme/...).
func ExampleNewAdminClient_tenant() {
	acme, err := gatehouse.NewAdminClient(gatehouse.AdminOptions{
		BaseURL: "https://id.example.com",
		Token:   os.Getenv("GATEHOUSE_ADMIN_TOKEN"),
		Tenant:  "acme",
	})
	if err != nil {
		log.Fatal(err)
	}
	password := "correct horse battery staple"
	resp, err := acme.CreateUserWithResponse(context.Background(), nil, gen.UserCreate{
		Email:    "li.wei@acme.example",
		Password: &password,
	})
	if err != nil {
		log.Fatal(err)
	}
	if p, ok := gatehouse.Problem(resp.HTTPResponse, resp.Body); ok {
		log.Fatalf("%s: %s", p.Type, *p.Detail) // e.g. urn:gatehouse:problem:conflict
	}
	fmt.Println("created", resp.JSON201.ID, "location", resp.HTTPResponse.Header.Get("Location"))

	// Events and webhooks exist for the default tenant only.
	if _, err := acme.ListEventsWithResponse(context.Background(), nil); errors.Is(err, gatehouse.ErrNoTenantForm) {
		fmt.Println("use a client without Tenant for events")
	}
}

// A signed-in user reads and changes their profile with their access
// token (scope account). BaseURL is the issuer of their tenant.
func ExampleNewAccountClient() {
	me, err := gatehouse.NewAccountClient(gatehouse.AccountOptions{
		BaseURL:     "https://id.example.com/t/acme",
		AccessToken: os.Getenv("ACCESS_TOKEN"),
	})
	if err != nil {
		log.Fatal(err)
	}
	resp, err := me.GetMeWithResponse(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	switch {
	case resp.JSON200 != nil:
		fmt.Println("signed in as", resp.JSON200.Email)
	case resp.ApplicationProblemJSON401 != nil:
		fmt.Println("sign in again:", resp.HTTPResponse.Header.Get("WWW-Authenticate"))
	}
}

// Every error response is an RFC 9457 problem with a stable type.
func ExampleProblem() {
	gh, err := gatehouse.NewAdminClient(gatehouse.AdminOptions{BaseURL: "https://id.example.com", Token: os.Getenv("GATEHOUSE_ADMIN_TOKEN")})
	if err != nil {
		log.Fatal(err)
	}
	resp, err := gh.GetUserWithResponse(context.Background(), "01935f2e-8b7a-7cc4-9d2e-3f4a5b6c7d8e")
	if err != nil {
		log.Fatal(err)
	}
	if p, ok := gatehouse.Problem(resp.HTTPResponse, resp.Body); ok {
		switch p.Type {
		case "urn:gatehouse:problem:not-found":
			fmt.Println("no such user")
		case "urn:gatehouse:problem:forbidden":
			fmt.Println("the key lacks users:read")
		default:
			fmt.Println(p.Title, "request", *p.RequestID)
		}
	}
}
