/* Read access to the route table, for `shopwarden routes` and the contract test. */
#ifndef SW_HTTP_ROUTES_H
#define SW_HTTP_ROUTES_H

int sw_routes_count(void);
void sw_route_at(int i, const char **method, const char **path);

#endif
