/** Whether the admin routes' descriptions are built in (openapi.ts, `describe`): a build-time
 * constant, false in the Worker, true for the OpenAPI document and the tests. */
declare const API_DOCS: boolean;
