// Package repr reads the platform's representations as people see them:
// a collection of members as rows and columns, a member as named fields.
// It knows nothing of Fyne, so its logic is tested without a display.
//
// JSON on the platform is a mapping of the XML: attributes are "@"-keys, a
// list with one item arrives as an object, numbers often arrive as strings
// and links are "link" objects or arrays. Both formats are parsed into the
// same ordered tree, which remembers where each value sits in the bytes it
// was read from. Saving a member splices only the values the user changed
// into the original bytes, so everything a form does not show — unknown
// keys, attribute order, nested elements, links, whitespace, comments —
// goes back to the server exactly as it came.
package repr
