#include "../harness_compat.h"
