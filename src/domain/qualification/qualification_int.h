/* Shared between the qualification module's files. */
#ifndef SW_DOMAIN_QUALIFICATION_INT_H
#define SW_DOMAIN_QUALIFICATION_INT_H

#include "domain/qualification/qualification.h"

#define SW_QUAL_ID_BUF 24

void sw__qualification_id(int64_t rid, char out[SW_QUAL_ID_BUF]);
/* The record as the API shows it, version included. New reference. */
json_t *sw__qualification_render(const struct sw_qualification_row *q);

#endif
