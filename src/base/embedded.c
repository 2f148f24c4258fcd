#include "base/embedded.h"

#include <string.h>

const struct sw_embedded_file *sw_embedded_find(const char *path)
{
    for (int i = 0; i < sw__embedded_count; i++)
        if (strcmp(sw__embedded[i].path, path) == 0)
            return &sw__embedded[i];
    return NULL;
}
