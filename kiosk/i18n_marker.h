// N_() marks a message id for extraction by xgettext; it returns the id unchanged.
// The translation is looked up at run time through Messages (i18n.h).
#pragma once
#define N_(msgid) msgid
