#include "flow.h"

#include <algorithm>

#include "catalog.h"
#include "i18n_marker.h"

namespace lapor {

std::string_view to_string(Screen s) {
    switch (s) {
        case Screen::attract: return "attract";
        case Screen::language: return "language";
        case Screen::classification: return "classification";
        case Screen::agency: return "agency";
        case Screen::text: return "text";
        case Screen::date_location: return "date_location";
        case Screen::privacy: return "privacy";
        case Screen::consent: return "consent";
        case Screen::contact: return "contact";
        case Screen::review: return "review";
        case Screen::receipt: return "receipt";
        case Screen::status: return "status";
    }
    return "?";
}

namespace {

std::optional<Section> section_of(Screen s) {
    switch (s) {
        case Screen::classification: return Section::classification;
        case Screen::agency: return Section::agency;
        case Screen::text: return Section::text;
        case Screen::date_location: return Section::date_location;
        case Screen::privacy: return Section::privacy;
        case Screen::consent: return Section::consent;
        case Screen::contact: return Section::contact;
        default: return std::nullopt;
    }
}

Screen screen_of(Section s) {
    switch (s) {
        case Section::classification: return Screen::classification;
        case Section::agency: return Screen::agency;
        case Section::text: return Screen::text;
        case Section::date_location: return Screen::date_location;
        case Section::privacy: return Screen::privacy;
        case Section::consent: return Screen::consent;
        case Section::contact: return Screen::contact;
    }
    return Screen::review;
}

Screen screen_of(Field f) {
    switch (f) {
        case Field::language:
        case Field::classification: return Screen::classification;
        case Field::agency:
        case Field::category: return Screen::agency;
        case Field::title:
        case Field::body: return Screen::text;
        case Field::incident_date:
        case Field::location: return Screen::date_location;
        case Field::privacy: return Screen::privacy;
        case Field::consent: return Screen::consent;
        default: return Screen::contact;
    }
}

template <class... Ts>
struct overloaded : Ts... {
    using Ts::operator()...;
};
template <class... Ts>
overloaded(Ts...) -> overloaded<Ts...>;

}  // namespace

Flow::Flow(FlowSettings settings, const Clock& clock, const Catalog& catalog, SubmitFn submit)
    : settings_(settings), clock_(clock), catalog_(&catalog), submit_(std::move(submit)) {
    last_activity_ms_ = clock_.mono_ms();
}

Date Flow::today() const { return local_date(clock_.now_ms() / 1000, settings_.time_zone); }

void Flow::set_catalog(const Catalog& c) {
    if (screen_ == Screen::attract) catalog_ = &c;
}

void Flow::go(Screen s) {
    screen_ = s;
    problems_.clear();
    error_ = nullptr;
    if (s == Screen::date_location && !draft_.incident_date) draft_.incident_date = today();
    if (s == Screen::receipt) receipt_since_ms_ = clock_.mono_ms();
}

bool Flow::gate(Section s) {
    problems_ = validate_section(draft_, s, *catalog_, today());
    return problems_.empty();
}

void Flow::apply(const Intent& in) {
    last_activity_ms_ = clock_.mono_ms();
    countdown_since_ms_.reset();
    std::visit(overloaded{
                   [&](const intent::Start&) {
                       if (screen_ == Screen::attract) go(Screen::language);
                   },
                   [&](const intent::StartAs& i) {
                       if (screen_ != Screen::attract) return;
                       draft_.language = language();  // as chosen on attract
                       draft_.classification = i.classification;
                       go(Screen::agency);
                   },
                   [&](const intent::OpenStatus&) {
                       if (screen_ == Screen::attract) go(Screen::status);
                   },
                   [&](const intent::ChooseLanguage& i) {
                       draft_.language = i.language;
                       if (screen_ == Screen::language) go(Screen::classification);
                   },
                   [&](const intent::ChooseClassification& i) {
                       if (screen_ != Screen::classification) return;
                       draft_.classification = i.classification;
                       next();
                   },
                   [&](const intent::ChooseAgency& i) {
                       if (screen_ != Screen::agency) return;
                       if (draft_.agency_id != i.agency_id) draft_.category_id.clear();
                       draft_.agency_id = i.agency_id;
                       problems_.clear();
                   },
                   [&](const intent::ChooseCategory& i) {
                       if (screen_ != Screen::agency) return;
                       draft_.category_id = i.category_id;
                       problems_.clear();
                   },
                   [&](const intent::Type& i) {
                       std::string* target = nullptr;
                       Screen where = screen_of(i.field);
                       switch (i.field) {
                           case Field::title: target = &draft_.title; break;
                           case Field::body: target = &draft_.body; break;
                           case Field::location: target = &draft_.location; break;
                           case Field::name: target = &draft_.name; break;
                           case Field::phone: target = &draft_.phone; break;
                           case Field::email: target = &draft_.email; break;
                           case Field::nik: target = &draft_.nik; break;
                           default: return;
                       }
                       if (where != screen_) return;
                       // Being corrected: its message would now mislead (it comes back at Next
                       // if the field is still wrong).
                       if (*target != i.text) clear_problems(i.field);
                       secure_clear(*target);
                       *target = i.text;
                   },
                   [&](const intent::SetDate& i) {
                       if (screen_ == Screen::date_location) draft_.incident_date = i.date;
                   },
                   [&](const intent::ChoosePrivacy& i) {
                       if (screen_ != Screen::privacy) return;
                       draft_.privacy = i.privacy;
                       clear_problems(Field::privacy);  // answered: the message would mislead
                   },
                   [&](const intent::ChooseConsent& i) {
                       if (screen_ != Screen::consent) return;
                       draft_.consent = i.consent;
                       clear_problems(Field::consent);
                       if (!i.consent) draft_.wipe_contact();  // declining means we keep none of it
                   },
                   [&](const intent::Next&) { next(); },
                   [&](const intent::Back&) { back(); },
                   [&](const intent::Edit& i) {
                       if (screen_ != Screen::review) return;
                       if (i.section == Section::contact && draft_.consent != true) return;
                       return_to_review_ = true;
                       go(screen_of(i.section));
                   },
                   [&](const intent::Submit&) {
                       if (screen_ == Screen::review) submit();
                   },
                   [&](const intent::Done&) {
                       if (screen_ == Screen::receipt) wipe_to_attract();
                   },
                   [&](const intent::Cancel&) { wipe_to_attract(); },
                   [&](const intent::StillHere&) {},
               },
               in);
}

void Flow::next() {
    const auto section = section_of(screen_);
    if (!section) return;
    if (!gate(*section)) return;
    if (return_to_review_) {
        // After editing consent to "yes", the contact screen comes before the review.
        if (screen_ == Screen::consent && draft_.consent == true) {
            go(Screen::contact);
            return;
        }
        return_to_review_ = false;
        go(Screen::review);
        return;
    }
    switch (screen_) {
        case Screen::classification: go(Screen::agency); break;
        case Screen::agency: go(Screen::text); break;
        case Screen::text: go(Screen::date_location); break;
        case Screen::date_location: go(Screen::privacy); break;
        case Screen::privacy: go(Screen::consent); break;
        case Screen::consent: go(draft_.consent == true ? Screen::contact : Screen::review); break;
        case Screen::contact: go(Screen::review); break;
        default: break;
    }
}

void Flow::back() {
    return_to_review_ = false;
    switch (screen_) {
        case Screen::language:
        case Screen::status: wipe_to_attract(); break;
        case Screen::classification: go(Screen::language); break;
        case Screen::agency: go(Screen::classification); break;
        case Screen::text: go(Screen::agency); break;
        case Screen::date_location: go(Screen::text); break;
        case Screen::privacy: go(Screen::date_location); break;
        case Screen::consent: go(Screen::privacy); break;
        case Screen::contact: go(Screen::consent); break;
        case Screen::review: go(draft_.consent == true ? Screen::contact : Screen::consent); break;
        default: break;  // attract has no back; the receipt is final
    }
}

void Flow::submit() {
    problems_ = validate(draft_, *catalog_, today());
    if (!problems_.empty()) {
        auto p = problems_;
        go(screen_of(p.front().field));
        problems_ = std::move(p);
        return;
    }
    SubmitResult r;
    try {
        r = submit_(draft_);
    } catch (const std::exception&) {
        // Nothing was stored; the form stays so the citizen can try again or ask staff.
        error_ = N_("submit.failed");
        return;
    }
    if (!r.ok()) {
        go(r.problems.empty() ? Screen::review : screen_of(r.problems.front().field));
        problems_ = std::move(r.problems);
        return;
    }
    const Language lang = language();
    receipt_ = std::move(r.report);
    draft_.wipe();
    draft_.language = lang;  // the receipt screen stays in the citizen's language
    go(Screen::receipt);
}

void Flow::wipe_to_attract() {
    draft_.wipe();
    receipt_.reset();
    return_to_review_ = false;
    countdown_since_ms_.reset();
    go(Screen::attract);
}

void Flow::clear_problems(Field f) {
    problems_.erase(std::remove_if(problems_.begin(), problems_.end(),
                                   [&](const Problem& p) { return p.field == f; }),
                    problems_.end());
}

std::optional<double> Flow::receipt_left_s() const {
    if (screen_ != Screen::receipt) return std::nullopt;
    const auto left = receipt_since_ms_ + settings_.receipt_screen_ms - clock_.mono_ms();
    return static_cast<double>(std::max<std::int64_t>(left, 0)) / 1000.0;
}

std::optional<int> Flow::step() const {
    switch (screen_) {
        case Screen::classification: return 1;
        case Screen::agency: return 2;
        case Screen::text: return 3;
        case Screen::date_location: return 4;
        case Screen::privacy: return 5;
        case Screen::consent:
        case Screen::contact: return 6;
        case Screen::review: return 7;
        default: return std::nullopt;
    }
}

std::optional<double> Flow::countdown_left_s() const {
    if (!countdown_since_ms_) return std::nullopt;
    const auto left = settings_.countdown_ms - (clock_.mono_ms() - *countdown_since_ms_);
    return static_cast<double>(std::max<std::int64_t>(left, 0)) / 1000.0;
}

std::optional<std::int64_t> Flow::next_timer_ms() const {
    const auto now = clock_.mono_ms();
    if (screen_ == Screen::attract)
        return draft_.language ? std::optional<std::int64_t>(std::max<std::int64_t>(
                                     0, last_activity_ms_ + settings_.idle_timeout_ms - now))
                               : std::nullopt;
    if (screen_ == Screen::receipt)
        return std::max<std::int64_t>(0, receipt_since_ms_ + settings_.receipt_screen_ms - now);
    if (countdown_since_ms_)
        return std::max<std::int64_t>(0, *countdown_since_ms_ + settings_.countdown_ms - now);
    return std::max<std::int64_t>(0, last_activity_ms_ + settings_.idle_timeout_ms - now);
}

bool Flow::tick() {
    const auto now = clock_.mono_ms();
    if (screen_ == Screen::attract) {
        // A language chosen on attract by someone who walked away is not the next person's.
        if (!draft_.language || now - last_activity_ms_ < settings_.idle_timeout_ms) return false;
        draft_.language.reset();
        return true;
    }
    if (screen_ == Screen::receipt) {
        if (now - receipt_since_ms_ < settings_.receipt_screen_ms) return false;
        wipe_to_attract();
        return true;
    }
    if (!countdown_since_ms_) {
        if (now - last_activity_ms_ < settings_.idle_timeout_ms) return false;
        countdown_since_ms_ = now;
        return true;
    }
    if (now - *countdown_since_ms_ < settings_.countdown_ms) return false;
    wipe_to_attract();
    return true;
}

}  // namespace lapor
