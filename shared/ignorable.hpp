// The characters a name may not contain because they draw nothing or reorder what is drawn:
// Unicode's Default_Ignorable_Code_Point and Bidi_Control properties, without ICU, so the browser
// client refuses them too. Not normalisation or look-alikes: those are the server's (ICU) job.
#pragma once

namespace chat {

// Unicode 15.0 DerivedCoreProperties.txt, Default_Ignorable_Code_Point (zero-width spaces and
// joiners, bidirectional controls, fillers, variation selectors, tags, ...).
bool is_default_ignorable(char32_t c);
// Unicode 15.0 PropList.txt, Bidi_Control (LRM, RLM, ALM, embeddings, overrides, isolates); every
// one of them is also default-ignorable.
bool is_bidi_control(char32_t c);

}  // namespace chat
