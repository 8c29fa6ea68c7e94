/*
 * cwamr -- drop-in replacement for WAMR 2.4.3
 *
 * bh_platform.h: WAMR's platform layer and utility library in one include, as WAMR's
 * embedders (its product-mini main.c, its samples) use it: the platform API
 * (platform_api_vmcore.h, platform_api_extension.h) and the utilities (bh_assert.h,
 * bh_common.h, bh_hashmap.h, bh_list.h, bh_log.h, bh_queue.h, bh_vector.h,
 * runtime_timer.h). All functions are exported by libcwamr (libiwasm).
 */

#ifndef _BH_PLATFORM_H
#define _BH_PLATFORM_H

#include "platform_common.h"
#include "platform_api_vmcore.h"
#include "platform_api_extension.h"
#include "bh_assert.h"
#include "bh_common.h"
#include "bh_hashmap.h"
#include "bh_list.h"
#include "bh_log.h"
#include "bh_queue.h"
#include "bh_vector.h"
#include "runtime_timer.h"

#endif /* _BH_PLATFORM_H */
