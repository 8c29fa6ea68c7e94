/*
 * cwamr -- drop-in replacement for WAMR 2.4.3
 *
 * bh_list.h: WAMR's intrusive singly linked list. Elements begin with a bh_list_link;
 * bh_list_insert puts an element at the head.
 */

#ifndef _BH_LIST_H
#define _BH_LIST_H

#include "bh_platform.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct bh_list_link {
    struct bh_list_link *next;
} bh_list_link;

typedef struct bh_list {
    bh_list_link head;
    uint32 len;
} bh_list;

typedef enum bh_list_status {
    BH_LIST_SUCCESS = 0,
    BH_LIST_ERROR = -1
} bh_list_status;

bh_list_status
bh_list_init(bh_list *list);

bh_list_status
bh_list_insert(bh_list *list, void *elem);

bh_list_status
bh_list_remove(bh_list *list, void *elem);

uint32
bh_list_length(bh_list *list);

void *
bh_list_first_elem(bh_list *list);

void *
bh_list_elem_next(void *node);

#ifdef __cplusplus
}
#endif

#endif /* _BH_LIST_H */
