"""What Tandem says about a team's causes and `cause:` tags at close."""

USAGE = ("`/tandem team edit <team> causes add missing-docs`, `causes remove missing-docs`, `causes off`, "
         "or a list that replaces the old one: `causes missing-docs duplicate`.")
BAD_TAG = "“{tag}” isn't a cause tag: letters, digits, - and _, like `missing-docs`."
NOT_LISTED = "“{tag}” isn't on {team}'s list of causes ({known}); nothing changed."
TOO_MANY = "A team keeps at most {limit} causes, so its report stays readable."
EMPTY = "`cause:` needs a tag after it, like `cause:missing-docs` (causes: {known}). Nothing changed."
UNKNOWN = ("“{tag}” isn't one of {team}'s causes.{hint} Causes: {known}. The lead adds one with "
           "`/tandem team edit {handle} causes add {tag}`. Nothing changed.")
DID_YOU_MEAN = " Did you mean {tags}?"
