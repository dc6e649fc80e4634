#include "labels.h"

#include "i18n_marker.h"

namespace lapor::labels {

const char* name(Classification c) {
    switch (c) {
        case Classification::complaint: return N_("classification.complaint");
        case Classification::aspiration: return N_("classification.aspiration");
        case Classification::information: return N_("classification.information");
    }
    return "";
}

const char* explanation(Classification c) {
    switch (c) {
        case Classification::complaint: return N_("classification.complaint.explain");
        case Classification::aspiration: return N_("classification.aspiration.explain");
        case Classification::information: return N_("classification.information.explain");
    }
    return "";
}

const char* receipt_title(Classification c) {
    switch (c) {
        case Classification::complaint: return N_("receipt.title.complaint");
        case Classification::aspiration: return N_("receipt.title.aspiration");
        case Classification::information: return N_("receipt.title.information");
    }
    return "";
}

const char* name(Privacy p) {
    switch (p) {
        case Privacy::public_report: return N_("privacy.public");
        case Privacy::anonymous: return N_("privacy.anonymous");
        case Privacy::confidential: return N_("privacy.confidential");
    }
    return "";
}

const char* explanation(Privacy p) {
    switch (p) {
        case Privacy::public_report: return N_("privacy.public.explain");
        case Privacy::anonymous: return N_("privacy.anonymous.explain");
        case Privacy::confidential: return N_("privacy.confidential.explain");
    }
    return "";
}

const char* title(Screen s) {
    switch (s) {
        case Screen::attract: return N_("screen.attract");
        case Screen::language: return N_("screen.language");
        case Screen::classification: return N_("screen.classification");
        case Screen::agency: return N_("screen.agency");
        case Screen::text: return N_("screen.text");
        case Screen::date_location: return N_("screen.date_location");
        case Screen::privacy: return N_("screen.privacy");
        case Screen::consent: return N_("screen.consent");
        case Screen::contact: return N_("screen.contact");
        case Screen::review: return N_("screen.review");
        case Screen::receipt: return N_("screen.receipt");
        case Screen::status: return N_("screen.status");
    }
    return "";
}

}  // namespace lapor::labels
