#!/bin/bash
#
# traversal-alias: every case of traversal.sh again, with the tree
# served through a location's alias (location "/" aliased to it, the
# document root an empty directory elsewhere): an alias has the same
# containment as document_root (DESIGN section 3a).
TRAVERSAL_ALIAS=1 exec bash "$(dirname "$0")/traversal.sh" "$@"
