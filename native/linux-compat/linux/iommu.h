#include "../harness_compat.h"
#include <linux/list.h>
/* What io-pgtable.h needs of include/linux/iommu.h, copied out of the user's tree by conform. */
#include HARNESS_EXTRACTED
