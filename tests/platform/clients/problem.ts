// A TypeScript client of the incubation service, its types generated from the OpenAPI
// document: a missing project answers a typed problem (RFC 9457), read without a cast.
import createClient from "openapi-fetch";
import type { components, paths } from "./incubation.js";

type Problem = components["schemas"]["Problem"];

const client = createClient<paths>({ baseUrl: process.env.BASE_URL });
const { data, error, response } = await client.GET("/api/v1/projects/{project_id}", {
  params: { path: { project_id: "no-such-project" } },
  headers: { Authorization: `Bearer ${process.env.TOKEN}` },
});
const problem: Problem | undefined = error;
const title: string | undefined = data?.title;
console.log(JSON.stringify({ status: response.status, problem, title }));
