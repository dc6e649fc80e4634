#include "view.h"

namespace lapor::ui {

std::optional<Field> field_of(Input in) {
    switch (in) {
        case Input::title: return Field::title;
        case Input::body: return Field::body;
        case Input::location: return Field::location;
        case Input::name: return Field::name;
        case Input::phone: return Field::phone;
        case Input::email: return Field::email;
        case Input::nik: return Field::nik;
        default: return std::nullopt;
    }
}

const std::vector<LanguageFile>& View::offered() const {
    static const std::vector<LanguageFile> base{{"id", "Bahasa Indonesia", "", false, ""},
                                                {"en", "English", "", false, ""}};
    return languages && !languages->empty() ? *languages : base;
}

const std::string& View::focused_text() const {
    static const std::string none;
    if (ui.focus == Input::search) return ui.search;
    if (ui.focus == Input::staff) return ui.staff_input;
    if (ui.focus == Input::status) return ui.status_input;
    if (!flow) return none;
    const ReportDraft& d = flow->draft();
    switch (ui.focus) {
        case Input::title: return d.title;
        case Input::body: return d.body;
        case Input::location: return d.location;
        case Input::name: return d.name;
        case Input::phone: return d.phone;
        case Input::email: return d.email;
        case Input::nik: return d.nik;
        default: return none;
    }
}

}  // namespace lapor::ui
